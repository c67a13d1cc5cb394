/* SPDX-License-Identifier: MIT */
/* net/container.c: configure lo, interfaces and the default route inside a container netns. */
#include "net/net.h"

#include <errno.h>
#include <net/if.h>
#include <sys/socket.h>

#include "net/nl.h"
#include "util/addr.h"

static int iface_configure(struct nl_sock *sk, const struct net_if_config *ifc, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;
	int rc = rtnl_link_get_kernel(sk, 0, ifc->ifname, &link);

	if (rc < 0)
		return netnl_error(err, rc, "look up link %s", ifc->ifname);
	if (ifc->addr &&
	    netnl_addr_add(sk, rtnl_link_get_ifindex(link), ifc->ifname, ifc->addr, ifc->prefix, err) < 0)
		return -1;
	if (ifc->no_ipv6 && netnl_link_no_ipv6(sk, ifc->ifname, err) < 0)
		return -1;
	if (ifc->gateway &&
	    netnl_neigh_add(sk, rtnl_link_get_ifindex(link), ifc->ifname, ifc->gateway, err) < 0)
		return -1;
	return netnl_link_up(sk, link, err);
}

int net_link_up_addr(struct net_ctx *ctx, const char *name, uint32_t addr, int prefix, struct ce_error *err)
{
	const struct net_if_config ifc = { .ifname = name, .addr = addr, .prefix = prefix };

	return iface_configure(ctx->sk, &ifc, err);
}

static int route_fill(struct rtnl_route *rt, uint32_t gateway)
{
	_cleanup_(nl_addr_putp) struct nl_addr *dst = netnl_addr4(0, 0);
	_cleanup_(nl_addr_putp) struct nl_addr *gw = netnl_addr4(gateway, 32);
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	int rc;

	if (!dst || !gw || !nh) {
		if (nh)
			rtnl_route_nh_free(nh);
		return -NLE_NOMEM;
	}
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, RTPROT_BOOT);
	rtnl_route_set_scope(rt, RT_SCOPE_UNIVERSE);
	rtnl_route_set_type(rt, RTN_UNICAST);
	rc = rtnl_route_set_dst(rt, dst);
	rtnl_route_nh_set_gateway(nh, gw);
	rtnl_route_add_nexthop(rt, nh);	/* rt owns nh from here on */
	return rc;
}

static int default_route_add(struct nl_sock *sk, uint32_t gateway, struct ce_error *err)
{
	_cleanup_(rtnl_route_putp) struct rtnl_route *rt = rtnl_route_alloc();
	char buf[16];
	int rc;

	rc = rt ? route_fill(rt, gateway) : -NLE_NOMEM;
	if (rc == 0)
		rc = rtnl_route_add(sk, rt, NLM_F_EXCL);
	if (rc < 0)
		return netnl_error(err, rc, "add default route via %s",
				   addr_format(gateway, buf, sizeof(buf)));
	return 0;
}

int net_container_configure(const struct net_if_config *ifs, int n_ifs, uint32_t gateway,
			    struct ce_error *err)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
	int i;

	if (netnl_socket(&sk, err) < 0 || netnl_link_up_name(sk, "lo", err) < 0)
		return -1;
	for (i = 0; i < n_ifs; i++)
		if (iface_configure(sk, &ifs[i], err) < 0)
			return -1;
	if (gateway && default_route_add(sk, gateway, err) < 0)
		return -1;
	return 0;
}
