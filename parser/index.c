/* SPDX-License-Identifier: MIT */
/* index.c: the lookups validation needs (names, addresses), each O(log n) with tsearch(3), and the caps on what a file makes. */
#include <errno.h>
#include <search.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "parser/internal.h"

/* One address in use: an interface's (owner: its container) or a link end's (owner: -1). */
struct addr_use {
	uint32_t addr;
	long owner;
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int cmp_addr(const void *a, const void *b)
{
	uint32_t x = ((const struct addr_use *)a)->addr, y = ((const struct addr_use *)b)->addr;

	return x < y ? -1 : x > y;
}

const char *pv_name_add(struct ctx *ctx, void **tree, const char *name)
{
	void *node = tsearch(name, tree, cmp_name);

	if (!node) {
		pv_oom(ctx);
		return NULL;
	}
	return *(const char **)node;
}

const char *pv_name_find(void *tree, const char *name)
{
	void *node = tfind(name, &tree, cmp_name);

	return node ? *(const char **)node : NULL;
}

long pv_addr_owner(const struct ctx *ctx, uint32_t addr)
{
	struct addr_use key = { addr, 0 };
	void *node = tfind(&key, (void *const *)&ctx->addrs, cmp_addr);

	return node ? (*(struct addr_use **)node)->owner : PV_ADDR_FREE;
}

int pv_addr_add(struct ctx *ctx, uint32_t addr, long owner)
{
	struct addr_use *u = malloc(sizeof(*u));
	void *node;

	if (!u)
		return pv_oom(ctx);
	*u = (struct addr_use){ addr, owner };
	node = tsearch(u, &ctx->addrs, cmp_addr);
	if (!node || *(struct addr_use **)node != u)	/* no memory, or it was there: keep the first */
		free(u);
	return node ? 0 : pv_oom(ctx);
}

int pv_hold(struct ctx *ctx, const config_setting_t *s, const char *path, size_t bytes)
{
	if (bytes > MODEL_MAX - ctx->held)
		return pv_fail_at(ctx, s, path, "the containers' lists (command, env, routes, interfaces, ...) would hold "
				  "more than %u MiB in all (count and defaults copy them into each container)",
				  MODEL_MAX >> 20);
	ctx->held += bytes;
	return 0;
}

static void nothing(void *p)
{
	(void)p;
}

void pv_index_free(struct ctx *ctx)
{
	tdestroy(ctx->names, nothing);	/* the names live in the project */
	tdestroy(ctx->net_names, nothing);
	tdestroy(ctx->addrs, free);
	free(ctx->auto_next);
	free(ctx->ifaces_on);
	free(ctx->link_ends);
	ctx->names = ctx->net_names = ctx->addrs = NULL;
	ctx->auto_next = NULL;
	ctx->ifaces_on = ctx->link_ends = NULL;
}
