/* SPDX-License-Identifier: MIT */
/* net/bridge.c: create the project bridge (one RTM_NEWLINK, created up). */
#include "net/net.h"

#include <errno.h>
#include <net/if.h>

#include <netlink/route/link/bridge.h>

#include "net/nl.h"

int net_bridge_create(struct net_ctx *ctx, const char *name, int mtu, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *br = rtnl_link_bridge_alloc();
	int rc;

	if (!br)
		return ce_error_set(err, ENOMEM, "create bridge %s", name);
	rtnl_link_set_name(br, name);
	if (mtu > 0)
		rtnl_link_set_mtu(br, (unsigned int)mtu);
	rtnl_link_set_flags(br, IFF_UP);
	if (ctx->group)
		rtnl_link_set_group(br, ctx->group);
	rc = rtnl_link_add(ctx->sk, br, NLM_F_CREATE | NLM_F_EXCL);
	if (rc < 0)
		return netnl_error(err, rc, "create bridge %s", name);
	return 0;
}
