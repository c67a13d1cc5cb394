/* SPDX-License-Identifier: MIT */
/* net/route.c: static routes (IPv4 and IPv6) via a gateway, in the caller's netns. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/nl.h"

static struct nl_addr *addr_of(int family, const void *a, int prefix)
{
	struct nl_addr *na;

	if (family == AF_INET)
		return netnl_addr4(*(const uint32_t *)a, prefix);
	na = nl_addr_build(AF_INET6, a, 16);
	if (na)
		nl_addr_set_prefixlen(na, prefix);
	return na;
}

static int route_fill(struct rtnl_route *rt, int family, const void *dst, int prefix, const void *via,
		      int protocol)
{
	_cleanup_(nl_addr_putp) struct nl_addr *d = addr_of(family, dst, prefix);
	_cleanup_(nl_addr_putp) struct nl_addr *gw = addr_of(family, via, family == AF_INET ? 32 : 128);
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	int rc;

	if (!d || !gw || !nh) {
		if (nh)
			rtnl_route_nh_free(nh);
		return -NLE_NOMEM;
	}
	rtnl_route_set_family(rt, (uint8_t)family);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, (uint8_t)protocol);
	rtnl_route_set_scope(rt, RT_SCOPE_UNIVERSE);
	rtnl_route_set_type(rt, RTN_UNICAST);
	rc = rtnl_route_set_dst(rt, d);
	rtnl_route_nh_set_gateway(nh, gw);
	rtnl_route_add_nexthop(rt, nh);	/* rt owns nh */
	return rc;
}

static const char *fmt(int family, const void *a, char *buf, size_t len)
{
	uint32_t be;

	if (family == AF_INET6)
		return inet_ntop(AF_INET6, a, buf, (socklen_t)len);
	be = htonl(*(const uint32_t *)a);
	return inet_ntop(AF_INET, &be, buf, (socklen_t)len);
}

int netnl_route_add(struct nl_sock *sk, int family, const void *dst, int prefix, const void *via, int protocol,
		    struct ce_error *err)
{
	_cleanup_(rtnl_route_putp) struct rtnl_route *rt = rtnl_route_alloc();
	char d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	int rc = rt ? route_fill(rt, family, dst, prefix, via, protocol) : -NLE_NOMEM;

	if (rc == 0)
		rc = rtnl_route_add(sk, rt, NLM_F_EXCL);
	if (rc < 0)
		return netnl_error(err, rc, "add route %s/%d via %s", fmt(family, dst, d, sizeof(d)), prefix,
				   fmt(family, via, g, sizeof(g)));
	return 0;
}

int net_route_add(struct net_ctx *ctx, int family, const void *dst, int prefix, const void *via,
		  struct ce_error *err)
{
	return netnl_route_add(ctx->sk, family, dst, prefix, via, RTPROT_STATIC, err);
}
