/* SPDX-License-Identifier: MIT */
/* net/check.c: refuse a subnet or subnet6 that overlaps host addresses or routes. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/nl.h"
#include "util/addr.h"

struct check {
	struct nl_sock *sk;
	uint32_t subnet;
	int prefix;
	uint8_t subnet6[16];	/* net_subnet6_check_free() */
	int prefix6;
	int own_index;		/* ifindex of own_bridge, 0 if none */
	struct nl_cache *addrs;
};

/* err->code EADDRINUSE, message without the strerror suffix. Returns -1. */
__attribute__((format(printf, 2, 3)))
static int overlap(struct ce_error *err, const char *fmt, ...)
{
	char msg[CE_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ce_error_set(err, 0, "%s", msg);
	if (err)
		err->code = EADDRINUSE;
	return -1;
}

static int own_index(struct nl_sock *sk, const char *own_bridge)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;

	if (!own_bridge || rtnl_link_get_kernel(sk, 0, own_bridge, &link) < 0)
		return 0;
	return rtnl_link_get_ifindex(link);
}

static const char *if_name(struct nl_sock *sk, int ifindex, char *buf, size_t len)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;

	if (rtnl_link_get_kernel(sk, ifindex, NULL, &link) < 0 || !rtnl_link_get_name(link))
		snprintf(buf, len, "ifindex %d", ifindex);
	else
		snprintf(buf, len, "%s", rtnl_link_get_name(link));
	return buf;
}

static int addr_conflict(struct check *c, struct rtnl_addr *ra, struct ce_error *err)
{
	int prefix = rtnl_addr_get_prefixlen(ra);
	char net[16], a[16], name[IFNAMSIZ + 16];
	const char *label = rtnl_addr_get_label(ra);
	uint32_t addr;

	if (rtnl_addr_get_family(ra) != AF_INET || rtnl_addr_get_ifindex(ra) == c->own_index ||
	    netnl_addr4_get(rtnl_addr_get_local(ra), &addr) < 0 ||
	    !addr_subnets_overlap(c->subnet, c->prefix, addr, prefix))
		return 0;
	if (!label)
		label = if_name(c->sk, rtnl_addr_get_ifindex(ra), name, sizeof(name));
	return overlap(err, "subnet %s/%d overlaps address %s/%d on %s",
		       addr_format(c->subnet, net, sizeof(net)), c->prefix,
		       addr_format(addr, a, sizeof(a)), prefix, label);
}

static int route_oif(struct rtnl_route *rt)
{
	return rtnl_route_get_nnexthops(rt) > 0 ?
		rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(rt, 0)) : 0;
}

/* Every nexthop leaves through own_bridge. */
static bool route_on_own_bridge(struct check *c, struct rtnl_route *rt)
{
	int i, n = rtnl_route_get_nnexthops(rt);

	if (c->own_index <= 0 || n <= 0)
		return false;
	for (i = 0; i < n; i++)
		if (rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(rt, i)) != c->own_index)
			return false;
	return true;
}

/* A local/broadcast entry the kernel derived from an address on the same link. */
static bool route_from_address(struct check *c, struct rtnl_route *rt, uint32_t dst, int plen)
{
	int type = rtnl_route_get_type(rt), oif = route_oif(rt);
	struct nl_object *obj;

	if (type != RTN_LOCAL && type != RTN_BROADCAST)
		return false;
	for (obj = nl_cache_get_first(c->addrs); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)obj;
		int ap = rtnl_addr_get_prefixlen(ra);
		uint32_t a;

		if (rtnl_addr_get_family(ra) == AF_INET && rtnl_addr_get_ifindex(ra) == oif &&
		    netnl_addr4_get(rtnl_addr_get_local(ra), &a) == 0 && plen >= ap &&
		    addr_in_subnet(dst, a, ap))
			return true;
	}
	return false;
}

static int route_describe(struct check *c, struct rtnl_route *rt, char *buf, size_t len)
{
	int oif = route_oif(rt), n = 0;
	uint32_t table = rtnl_route_get_table(rt);
	char name[IFNAMSIZ + 16], type[32];

	if (rtnl_route_get_type(rt) != RTN_UNICAST)
		n = snprintf(buf, len, " %s", nl_rtntype2str(rtnl_route_get_type(rt), type, sizeof(type)));
	if (oif > 0 && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " dev %s", if_name(c->sk, oif, name, sizeof(name)));
	if (table != RT_TABLE_MAIN && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " table %u", table);
	return n;
}

static int route_conflict(struct check *c, struct rtnl_route *rt, struct ce_error *err)
{
	struct nl_addr *d = rtnl_route_get_dst(rt);
	int plen = d ? (int)nl_addr_get_prefixlen(d) : 0;
	char net[16], dst[16], how[128] = "";
	uint32_t addr;

	if (rtnl_route_get_family(rt) != AF_INET || plen == 0 || netnl_addr4_get(d, &addr) < 0 ||
	    !addr_subnets_overlap(c->subnet, c->prefix, addr, plen) ||
	    route_on_own_bridge(c, rt) || route_from_address(c, rt, addr, plen))
		return 0;
	route_describe(c, rt, how, sizeof(how));
	return overlap(err, "subnet %s/%d overlaps host route %s/%d%s",
		       addr_format(c->subnet, net, sizeof(net)), c->prefix,
		       addr_format(addr, dst, sizeof(dst)), plen, how);
}

static int check_addresses(struct check *c, struct ce_error *err)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(c->addrs); obj; obj = nl_cache_get_next(obj))
		if (addr_conflict(c, (struct rtnl_addr *)obj, err) < 0)
			return -1;
	return 0;
}

/* One dump of the host's routes of family, each through conflict (route_conflict, route6_conflict). */
static int check_routes(struct check *c, int family,
			int (*conflict)(struct check *c, struct rtnl_route *rt, struct ce_error *err), struct ce_error *err)
{
	_cleanup_(nl_cache_freep) struct nl_cache *routes = NULL;
	struct nl_object *obj;
	int rc = rtnl_route_alloc_cache(c->sk, family, 0, &routes);

	if (rc < 0)
		return netnl_error(err, rc, "dump host IPv%d routes", family == AF_INET6 ? 6 : 4);
	for (obj = nl_cache_get_first(routes); obj; obj = nl_cache_get_next(obj))
		if (conflict(c, (struct rtnl_route *)obj, err) < 0)
			return -1;
	return 0;
}

int net_subnet_check_free(struct net_ctx *ctx, uint32_t subnet, int prefix,
			  const char *own_bridge, struct ce_error *err)
{
	_cleanup_(nl_cache_freep) struct nl_cache *addrs = NULL;
	struct check c = {
		.sk = ctx->sk,
		.subnet = addr_network(subnet, prefix),
		.prefix = prefix,
		.own_index = own_index(ctx->sk, own_bridge),
	};
	int rc = rtnl_addr_alloc_cache(ctx->sk, &addrs);

	if (rc < 0)
		return netnl_error(err, rc, "dump host addresses");
	c.addrs = addrs;
	if (check_addresses(&c, err) < 0 || check_routes(&c, AF_INET, route_conflict, err) < 0)
		return -1;
	return 0;
}

/* ---- IPv6 ---- */

static const char *text6(struct nl_addr *a, char buf[INET6_ADDRSTRLEN])
{
	if (!inet_ntop(AF_INET6, nl_addr_get_binary_addr(a), buf, INET6_ADDRSTRLEN))
		snprintf(buf, INET6_ADDRSTRLEN, "?");
	return buf;
}

static bool overlaps6(struct check *c, struct nl_addr *a, int plen)
{
	return a && nl_addr_get_family(a) == AF_INET6 && nl_addr_get_len(a) == 16 &&
	       addr6_subnets_overlap(c->subnet6, c->prefix6, nl_addr_get_binary_addr(a), plen);
}

static int addr6_conflict(struct check *c, struct rtnl_addr *ra, struct ce_error *err)
{
	int prefix = rtnl_addr_get_prefixlen(ra);
	char net[INET6_ADDRSTRLEN], a[INET6_ADDRSTRLEN], name[IFNAMSIZ + 16];

	if (rtnl_addr_get_family(ra) != AF_INET6 || rtnl_addr_get_ifindex(ra) == c->own_index ||
	    !overlaps6(c, rtnl_addr_get_local(ra), prefix))
		return 0;
	inet_ntop(AF_INET6, c->subnet6, net, sizeof(net));
	return overlap(err, "subnet6 %s/%d overlaps address %s/%d on %s", net, c->prefix6,
		       text6(rtnl_addr_get_local(ra), a), prefix, if_name(c->sk, rtnl_addr_get_ifindex(ra), name, sizeof(name)));
}

/* Local and anycast entries come from addresses, checked (and named) before. */
static int route6_conflict(struct check *c, struct rtnl_route *rt, struct ce_error *err)
{
	struct nl_addr *d = rtnl_route_get_dst(rt);
	int plen = d ? (int)nl_addr_get_prefixlen(d) : 0, type = rtnl_route_get_type(rt);
	char net[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], how[128] = "";

	if (rtnl_route_get_family(rt) != AF_INET6 || plen == 0 || type == RTN_LOCAL || type == RTN_ANYCAST ||
	    !overlaps6(c, d, plen) || route_on_own_bridge(c, rt))
		return 0;
	route_describe(c, rt, how, sizeof(how));
	inet_ntop(AF_INET6, c->subnet6, net, sizeof(net));
	return overlap(err, "subnet6 %s/%d overlaps host route %s/%d%s", net, c->prefix6, text6(d, dst), plen, how);
}

static int check6(struct check *c, struct ce_error *err)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(c->addrs); obj; obj = nl_cache_get_next(obj))
		if (addr6_conflict(c, (struct rtnl_addr *)obj, err) < 0)
			return -1;
	return check_routes(c, AF_INET6, route6_conflict, err);
}

int net_subnet6_check_free(struct net_ctx *ctx, const uint8_t subnet6[16], int prefix6,
			   const char *own_bridge, struct ce_error *err)
{
	_cleanup_(nl_cache_freep) struct nl_cache *addrs = NULL;
	struct check c = {
		.sk = ctx->sk,
		.prefix6 = prefix6,
		.own_index = own_index(ctx->sk, own_bridge),
	};
	int rc;

	if (prefix6 <= 0 || prefix6 > 128)
		return ce_error_set(err, EINVAL, "subnet6 prefix /%d", prefix6);
	memcpy(c.subnet6, subnet6, 16);
	rc = rtnl_addr_alloc_cache(ctx->sk, &addrs);
	if (rc < 0)
		return netnl_error(err, rc, "dump host addresses");
	c.addrs = addrs;
	return check6(&c, err);
}
