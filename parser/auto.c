/* SPDX-License-Identifier: MIT */
/* auto.c: ip = "auto": the lowest free host address of a network. */
#include <stdlib.h>

#include "parser/topo.h"
#include "util/addr.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort the addresses in use (O(N log N)), then walk up from subnet + 1:
 * a 1,000-container `count` of "auto" stays well under a second. */
int pv_addr_auto(struct ctx *ctx, const config_setting_t *s, const char *path, size_t net, uint32_t *out)
{
	const struct project *p = ctx->p;
	const struct network *n = &p->networks[net];
	uint32_t bcast = n->subnet | ~addr_mask(n->prefix), cand = n->subnet + 1;
	uint32_t *used;
	size_t k = 0, total = 1;

	for (size_t i = 0; i < p->n_containers; i++)
		total += p->containers[i].n_ifaces;
	used = malloc(total * sizeof(*used));
	if (!used)
		return pv_oom(ctx);
	if (n->gateway)
		used[k++] = n->gateway;
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces; j++)
			if (p->containers[i].ifaces[j].network == net)
				used[k++] = p->containers[i].ifaces[j].addr;
	qsort(used, k, sizeof(*used), cmp_u32);
	for (size_t i = 0; i < k && used[i] <= cand; i++)
		if (used[i] == cand)
			cand++;
	free(used);
	if (cand >= bcast)
		return pv_fail_at(ctx, s, path, "no free address left on %s", n->name);
	*out = cand;
	return 0;
}
