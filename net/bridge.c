/* SPDX-License-Identifier: MIT */
/* net/bridge.c: create the project bridge (one RTM_NEWLINK, created up; its mark, and without IPv6, one more), deaf to router advertisements. */
#include "net/net.h"

#include <errno.h>
#include <net/if.h>

#include <netlink/route/link/bridge.h>

#include "net/nl.h"

/* Without IPv6 the bridge is made down, marked with its address generation mode
 * set to none, then brought up: an IPv6 link-local address is made as soon as it is up. */
int net_bridge_create(struct net_ctx *ctx, const char *name, const char *alias, int mtu, bool ipv6,
		      uint32_t gateway, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *br = rtnl_link_bridge_alloc();
	_cleanup_(nl_addr_putp) struct nl_addr *mac = gateway ? netnl_mac_of(gateway) : NULL;
	int rc, ifindex;

	if (!br || (gateway && !mac))
		return ce_error_set(err, ENOMEM, "create bridge %s", name);
	rtnl_link_set_name(br, name);
	if (mac)
		rtnl_link_set_addr(br, mac);
	if (mtu > 0)
		rtnl_link_set_mtu(br, (unsigned int)mtu);
	if (ipv6)
		rtnl_link_set_flags(br, IFF_UP);
	if (ctx->group)
		rtnl_link_set_group(br, ctx->group);
	rc = rtnl_link_add(ctx->sk, br, NLM_F_CREATE | NLM_F_EXCL);
	if (rc < 0)
		return netnl_error(err, rc, "create bridge %s", name);
	ifindex = netnl_link_mark(ctx, name, alias, !ipv6, err);
	if (ifindex < 0)
		return -1;
	/* before any container is there to send a router advertisement: the
	 * kernel default (accept_ra 1) would let one give the host routes */
	if (net_ipv6_no_ra(name, err) < 0)
		return ce_error_wrap(err, "bridge %s", name);
	if (ipv6)
		return ifindex;
	return netnl_link_up_name(ctx->sk, name, err) < 0 ? -1 : ifindex;
}
