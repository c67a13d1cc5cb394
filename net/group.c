/* SPDX-License-Identifier: MIT */
/* net/group.c: a project's host links share one interface group, deleted in one kernel batch. */
#include "net/net.h"

#include <errno.h>
#include <stdlib.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "net/nl.h"

void net_set_group(struct net_ctx *ctx, uint32_t group)
{
	ctx->group = group;
}

struct group_scan {
	uint32_t group;
	char *const *names;
	size_t n;
	bool *seen;		/* names[i] is in the group */
	int *ifindex;		/* of the members, room for n */
	size_t members;		/* links in the group */
	bool foreign;		/* a link in the group that is not ours */
};

static bool listed(const struct group_scan *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->names[i], name))
			return g->seen[i] = true;
	return false;
}

static void scan_link(struct nl_object *obj, void *arg)
{
	struct rtnl_link *link = (struct rtnl_link *)obj;
	struct group_scan *g = arg;

	if (rtnl_link_get_group(link) != g->group)
		return;
	if (g->members < g->n)
		g->ifindex[g->members] = rtnl_link_get_ifindex(link);
	g->members++;
	if (!listed(g, rtnl_link_get_name(link)))
		g->foreign = true;
}

/* Is every link of the group one of ours? (an unrelated project could, by a
 * hash collision, use the same group: then we must not delete by group) */
static int group_is_ours(struct net_ctx *ctx, struct group_scan *g, struct ce_error *err)
{
	_cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
	int rc = rtnl_link_alloc_cache(ctx->sk, AF_UNSPEC, &cache);

	if (rc < 0)
		return netnl_error(err, rc, "list links of group %u", g->group);
	nl_cache_foreach(cache, scan_link, g);
	return g->members > 0 && !g->foreign;
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

int net_links_delete_group(struct net_ctx *ctx, uint32_t group, char *const *names, size_t n,
			   struct ce_error *err)
{
	_cleanup_free_ bool *seen = calloc(n ? n : 1, sizeof(*seen));
	_cleanup_free_ int *ifindex = calloc(n ? n : 1, sizeof(*ifindex));
	struct group_scan g = { .group = group, .names = names, .n = n, .seen = seen, .ifindex = ifindex };
	int ours = 0, rc = 0;

	if (!seen || !ifindex)
		return ce_error_set(err, ENOMEM, "delete links");
	ours = group ? group_is_ours(ctx, &g, err) : 0;
	if (ours < 0)
		return -1;
	if (ours && netnl_delete_group_detached(ctx, group, ifindex, g.members, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)	/* stragglers, or everything when the group was not ours */
		if ((!ours || !seen[i]) && net_link_exists(ctx, names[i]) && net_link_delete(ctx, names[i], err) < 0)
			rc = -1;
	return rc;
}
