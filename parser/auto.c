/* SPDX-License-Identifier: MIT */
/* auto.c: ip = "auto": the lowest free host address of a network. */
#include <stdlib.h>

#include "parser/topo.h"
#include "util/addr.h"

/* The lowest free host address only grows as addresses are taken, so each network keeps where
 * the last search ended (ctx->auto_next) and the taken ones are looked up in O(log n): a
 * 10,000-container `count` of "auto" stays linear. */
int pv_addr_auto(struct ctx *ctx, const config_setting_t *s, const char *path, size_t net, uint32_t *out)
{
	const struct network *n = &ctx->p->networks[net];
	uint32_t bcast = n->subnet | ~addr_mask(n->prefix), cand;

	if (!ctx->auto_next && !(ctx->auto_next = calloc(ctx->p->n_networks, sizeof(*ctx->auto_next))))
		return pv_oom(ctx);
	cand = ctx->auto_next[net] > n->subnet ? ctx->auto_next[net] : n->subnet + 1;
	while (cand < bcast && (cand == n->gateway || pv_addr_owner(ctx, cand) != PV_ADDR_FREE))
		cand++;
	ctx->auto_next[net] = cand;
	if (cand >= bcast)
		return pv_fail_at(ctx, s, path, "no free address left on %s", n->name);
	*out = cand;
	return 0;
}
