/* SPDX-License-Identifier: MIT */
/* net/marked.c: what gc looks for when no journal says: the host links that carry an alias, and the nftables tables named cengine-<project>. */
#include "net/net.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/nft.h"
#include "net/nft_dl.h"
#include "net/nl.h"

#define TABLE_PREFIX "cengine-"

int net_links_aliased(struct net_ctx *ctx, struct net_aliased **out, size_t *n, struct ce_error *err)
{
	_cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
	struct net_aliased *v;
	size_t k = 0;
	int rc = rtnl_link_alloc_cache(ctx->sk, AF_UNSPEC, &cache);

	if (rc < 0)
		return netnl_error(err, rc, "list links");
	v = calloc((size_t)nl_cache_nitems(cache) + 1, sizeof(*v));
	if (!v)
		return ce_error_set(err, ENOMEM, "list links");
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *link = (struct rtnl_link *)o;
		const char *alias = rtnl_link_get_ifalias(link), *name = rtnl_link_get_name(link);

		if (!alias || !*alias || !name)
			continue;
		snprintf(v[k].name, sizeof(v[k].name), "%s", name);
		snprintf(v[k].alias, sizeof(v[k].alias), "%s", alias);
		v[k++].ifindex = rtnl_link_get_ifindex(link);
	}
	*out = v;
	*n = k;
	return 0;
}

/* "table inet cengine-P" lines: P once each into names. */
static int table_projects(const char *listing, char ***names, size_t *n)
{
	size_t cap = 0;

	*names = NULL, *n = 0;
	for (const char *line = listing; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char family[16], table[NET_ALIAS_MAX];
		bool seen = false;

		if (sscanf(line, "table %15s %127s", family, table) != 2 || strncmp(table, TABLE_PREFIX, strlen(TABLE_PREFIX)))
			continue;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = !strcmp((*names)[i], table + strlen(TABLE_PREFIX));
		if (seen)
			continue;
		if (*n + 1 >= cap) {
			char **grown = realloc(*names, (cap = cap ? 2 * cap : 8) * sizeof(*grown));

			if (!grown)
				return -1;
			*names = grown;
		}
		if (!((*names)[(*n)++] = strdup(table + strlen(TABLE_PREFIX))))
			return -1;
		(*names)[*n] = NULL;
	}
	return 0;
}

int net_nft_projects(char ***names, size_t *n, struct ce_error *err)
{
	_cleanup_free_ char *listing = NULL;

	*names = NULL, *n = 0;
	if (nft_dl_load(err) < 0)
		return ce_error_wrap(err, "list nft tables");
	if (nft_batch_list("list tables\n", "list tables", &listing, err) < 0)
		return -1;
	if (table_projects(listing, names, n) < 0)
		return ce_error_set(err, ENOMEM, "list nft tables");
	return 0;
}
