/* SPDX-License-Identifier: MIT */
/* net/group.c: a project's host links share one interface group, deleted in one kernel batch. */
#include "net/net.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "net/nl.h"

void net_set_group(struct net_ctx *ctx, uint32_t group)
{
	ctx->group = group;
}

int netnl_delete_group(struct net_ctx *ctx, uint32_t group, struct ce_error *err)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK);
	int rc;

	if (!msg)
		return ce_error_set(err, ENOMEM, "delete link group %u", group);
	rc = nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	if (rc >= 0)
		rc = nla_put_u32(msg, IFLA_GROUP, group);
	if (rc >= 0)
		rc = nl_send_sync(ctx->sk, msg);	/* frees msg */
	else
		nlmsg_free(msg);
	if (rc < 0 && rc != -NLE_NODEV && rc != -NLE_OBJ_NOTFOUND)
		return netnl_error(err, rc, "delete link group %u", group);
	return 0;
}
