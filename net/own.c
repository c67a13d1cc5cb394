/* SPDX-License-Identifier: MIT */
/* net/own.c: the mark a project puts on each host link it makes, and deletion of only the links that carry it. */
#include "net/net.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/nl.h"

#include <netlink/route/link/inet6.h>

static int mark_request(struct nl_sock *sk, int ifindex, const char *alias, bool no_ipv6)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = rtnl_link_alloc();
	int rc = 0;

	if (!link)
		return -NLE_NOMEM;
	rtnl_link_set_ifindex(link, ifindex);
	if (alias)
		rtnl_link_set_ifalias(link, alias);
	if (no_ipv6)
		rc = rtnl_link_inet6_set_addr_gen_mode(link, IN6_ADDR_GEN_MODE_NONE);
	return rc < 0 ? rc : rtnl_link_change(sk, link, link, 0);
}

int netnl_link_mark(struct net_ctx *ctx, const char *name, const char *alias, bool no_ipv6, struct ce_error *err)
{
	int ifindex = (int)if_nametoindex(name);	/* under RCU: no RTNL round trip */
	int rc;

	if (!ifindex)
		return ce_error_set(err, errno, "index of link %s", name);
	if (!alias && !no_ipv6)
		return ifindex;
	rc = mark_request(ctx->sk, ifindex, alias, no_ipv6);
	if (rc == -NLE_AF_NOSUPPORT && no_ipv6)	/* a kernel without IPv6: nothing to turn off */
		rc = alias ? mark_request(ctx->sk, ifindex, alias, false) : 0;
	if (rc < 0)
		return netnl_error(err, rc, "mark link %s", name);
	return ifindex;
}

int netnl_link_delete_index(struct nl_sock *sk, int ifindex, const char *name, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = rtnl_link_alloc();
	int rc;

	if (!link)
		return ce_error_set(err, ENOMEM, "delete link %s", name);
	rtnl_link_set_ifindex(link, ifindex);
	rc = rtnl_link_delete(sk, link);
	if (rc < 0 && rc != -NLE_NODEV && rc != -NLE_OBJ_NOTFOUND)
		return netnl_error(err, rc, "delete link %s (ifindex %d)", name, ifindex);
	return 0;
}

/* What is there now under l's recorded index, or else under its name (a reference, or NULL). */
static struct rtnl_link *found(struct nl_cache *cache, const struct net_owned *l)
{
	return l->ifindex > 0 ? rtnl_link_get(cache, l->ifindex) : rtnl_link_get_by_name(cache, l->name);
}

/* Is the link found for l the one l lists? 1 (and its index in *ifindex), 0 not. */
static int is_listed(struct rtnl_link *link, uint32_t group, struct net_owned *l, int *ifindex)
{
	const char *alias = rtnl_link_get_ifalias(link);
	bool unmarked = !alias || !*alias;

	if ((alias && !strcmp(alias, l->alias)) ||
	    (unmarked && !l->ifindex && group && rtnl_link_get_group(link) == group)) {
		*ifindex = rtnl_link_get_ifindex(link);
		return 1;
	}
	l->fate = NET_OWNED_FOREIGN;
	snprintf(l->seen, sizeof(l->seen), "%s", unmarked ? "" : alias);
	return 0;
}

/* Every member of the group is one to delete (and there is one): their indexes in members. */
struct group_scan {
	uint32_t group;
	const int *doomed;	/* indexes to delete, 0 for the others */
	size_t n;
	int *members;		/* room for n */
	size_t n_members;
	bool other;		/* a member not to delete */
};

static void scan_member(struct nl_object *obj, void *arg)
{
	struct group_scan *g = arg;
	int ifindex = rtnl_link_get_ifindex((struct rtnl_link *)obj);
	bool doomed = false;

	if (rtnl_link_get_group((struct rtnl_link *)obj) != g->group)
		return;
	for (size_t i = 0; i < g->n && !doomed; i++)
		doomed = g->doomed[i] == ifindex;
	if (!doomed || g->n_members == g->n)
		g->other = true;
	else
		g->members[g->n_members++] = ifindex;
}

/* Each link's fate, and in doomed[i] the index to delete (0: none). */
static void decide(struct nl_cache *cache, uint32_t group, struct net_owned *links, size_t n, int *doomed)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_(rtnl_link_putp) struct rtnl_link *link = found(cache, &links[i]);

		links[i].fate = NET_OWNED_GONE;
		doomed[i] = 0;
		if (link && is_listed(link, group, &links[i], &doomed[i]) == 1)
			links[i].fate = NET_OWNED_DELETED;
	}
}

/* When the group holds only doomed links (and some): delete it in one batch and
 * clear their doomed[] entries. 0 (sent or not), -1 error. */
static int delete_batch(struct net_ctx *ctx, struct nl_cache *cache, uint32_t group, int *doomed, size_t n,
			struct ce_error *err)
{
	_cleanup_free_ int *members = calloc(n ? n : 1, sizeof(*members));
	struct group_scan g = { .group = group, .doomed = doomed, .n = n, .members = members };

	if (!members)
		return ce_error_set(err, ENOMEM, "delete links");
	if (!group)
		return 0;
	nl_cache_foreach(cache, scan_member, &g);
	if (g.other || !g.n_members)
		return 0;
	/* A link of another project that joins the group (a 1 in 2^31 hash collision) in the
	 * microseconds from the dump to this request would go too: the one window left. */
	if (netnl_delete_group_detached(ctx, group, members, g.n_members, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < g.n_members; k++)
			if (doomed[i] == members[k])
				doomed[i] = 0;
	return 0;
}

int net_links_delete_owned(struct net_ctx *ctx, uint32_t group, struct net_owned *links, size_t n,
			   struct ce_error *err)
{
	_cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
	_cleanup_free_ int *doomed = calloc(n ? n : 1, sizeof(*doomed));
	int rc;

	if (!doomed)
		return ce_error_set(err, ENOMEM, "delete links");
	rc = rtnl_link_alloc_cache(ctx->sk, AF_UNSPEC, &cache);
	if (rc < 0)
		return netnl_error(err, rc, "list links");
	decide(cache, group, links, n, doomed);
	if (delete_batch(ctx, cache, group, doomed, n, err) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; i < n; i++)	/* outside the group, or all when it held another link */
		if (doomed[i] && netnl_link_delete_index(ctx->sk, doomed[i], links[i].name, err) < 0)
			rc = -1;
	return rc;
}

int net_links_taken(struct net_ctx *ctx, const char *const *names, size_t n, size_t *which, char *alias,
		    size_t len, struct ce_error *err)
{
	_cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
	int rc = rtnl_link_alloc_cache(ctx->sk, AF_UNSPEC, &cache);

	if (rc < 0)
		return netnl_error(err, rc, "list links");
	for (size_t i = 0; i < n; i++) {
		_cleanup_(rtnl_link_putp) struct rtnl_link *link = rtnl_link_get_by_name(cache, names[i]);
		const char *a;

		if (!link)
			continue;
		a = rtnl_link_get_ifalias(link);
		snprintf(alias, len, "%s", a ? a : "");
		*which = i;
		return 1;
	}
	return 0;
}
