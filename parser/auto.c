/* SPDX-License-Identifier: MIT */
/* auto.c: ip = "auto" (the lowest free host address of a network), subnet = "auto" (a stand-in until up picks one), gateway = "auto". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define AUTO_PREFIX_DEFAULT 24
#define AUTO_PREFIX_MIN 16

/* "auto" or "auto/NN": the network's stand-in subnet, the (i+1)-th block of its size in 0.0.0.0/8
 * (which no host uses), so the checks across networks and addresses work as for any subnet. */
int pv_subnet_auto(struct ctx *ctx, const config_setting_t *s, const char *path, struct network *n, size_t i,
		   const char *str)
{
	int prefix = AUTO_PREFIX_DEFAULT;
	char *end;

	if (str[4] == '/') {
		long v = strtol(str + 5, &end, 10);

		if (end == str + 5 || *end || v < AUTO_PREFIX_MIN || v > PREFIX_MAX)
			return pv_fail_at(ctx, s, path, "\"%s\": the size of an auto subnet is /%d../%d, like \"auto/26\"",
					  str, AUTO_PREFIX_MIN, PREFIX_MAX);
		prefix = (int)v;
	} else if (str[4]) {
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv4 subnet like 192.168.1.0/24 or \"auto\"", str);
	}
	if ((uint64_t)(i + 1) << (32 - prefix) >= 1u << 24)
		return pv_fail_at(ctx, s, path, "too many auto networks of /%d before this one", prefix);
	n->subnet = (uint32_t)(i + 1) << (32 - prefix);
	n->prefix = prefix;
	n->subnet_auto = true;
	return 0;
}
