/* SPDX-License-Identifier: MIT */
/* subnets6.c: subnet6 = "auto" at up: the first /64 of the IPv6 pool that no host address or route, no other project's journal (its net6 lines) and no other network of the file has. */
#include "runtime/verbs/subnets.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/journal.h"
#include "util/addr.h"
#include "util/cleanup.h"

#define POOL6_ENV "CENGINE_SUBNET6_POOL"
#define AUTO6_PREFIX 64

struct block6 {
	uint8_t net[16];
	int prefix;
};

struct taken6 {
	struct block6 *v;
	size_t n;
};

/* "PREFIX/P" into b; -1 when it is not one. */
static int parse6(const char *s, struct block6 *b)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	char *end;

	if (!slash || (size_t)(slash - s) >= sizeof(addr))
		return -1;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	b->prefix = (int)strtol(slash + 1, &end, 10);
	return inet_pton(AF_INET6, addr, b->net) == 1 && !*end && b->prefix >= 0 && b->prefix <= 128 ? 0 : -1;
}

static int taken6_add(struct taken6 *t, const struct block6 *b)
{
	struct block6 *v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	t->v = v;
	t->v[t->n++] = *b;
	return 0;
}

static int taken6_by(const char *project, void *ctx)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	struct block6 b;
	size_t n = 0;

	if (journal_read(project, &e, &n, NULL) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == J_NET6 && parse6(e[i].args[1], &b) == 0 && taken6_add(ctx, &b) < 0)
			return -1;
	return 0;
}

static bool taken6_overlaps(const struct taken6 *t, const uint8_t net[16], int prefix)
{
	for (size_t i = 0; i < t->n; i++)
		if (addr6_subnets_overlap(net, prefix, t->v[i].net, t->v[i].prefix))
			return true;
	return false;
}

/* Block k of /64 in the pool: k added to the top 64 bits. */
static void block_k(const struct block6 *pool, uint64_t k, uint8_t out[16])
{
	uint64_t hi = 0;

	for (int i = 0; i < 8; i++)
		hi = hi << 8 | pool->net[i];
	hi += k;
	memset(out, 0, 16);
	for (int i = 7; i >= 0; i--, hi >>= 8)
		out[i] = (uint8_t)hi;
}

static int pick6(struct project *p, size_t i, const struct block6 *pool, struct taken6 *t, struct net_ctx *nl,
		 struct ce_error *err)
{
	uint64_t blocks = pool->prefix <= 48 ? 65536 : 1ull << (AUTO6_PREFIX - pool->prefix);
	struct block6 b = { .prefix = AUTO6_PREFIX };

	for (uint64_t k = 0; k < blocks; k++) {
		struct ce_error why = { 0 };

		block_k(pool, k, b.net);
		if (taken6_overlaps(t, b.net, AUTO6_PREFIX))
			continue;
		if (net_subnet6_check_free(nl, b.net, AUTO6_PREFIX, NULL, &why) < 0) {
			if (why.code != EADDRINUSE) {
				*err = why;
				return -1;
			}
			continue;
		}
		project_network_move6(p, i, b.net);
		p->networks[i].subnet6_auto = false;
		return taken6_add(t, &b) < 0 ? ce_error_set(err, ENOMEM, "subnets") : 0;
	}
	return ce_error_set(err, EADDRNOTAVAIL, "network %s: no free /64 left in the pool (%s)", p->networks[i].name,
			    POOL6_ENV);
}

/* The file's own networks with a subnet6 of their own. */
static int taken6_by_file(const struct project *p, struct taken6 *t)
{
	for (size_t i = 0; i < p->n_networks; i++) {
		const struct network *w = &p->networks[i];
		struct block6 own = { .prefix = w->prefix6 };

		if (!w->prefix6 || w->subnet6_auto)
			continue;
		memcpy(own.net, w->subnet6, 16);
		if (taken6_add(t, &own) < 0)
			return -1;
	}
	return 0;
}

int subnets6_pick(struct project *p, struct net_ctx *nl, struct ce_error *err)
{
	const char *s = getenv(POOL6_ENV);
	struct taken6 t = { 0 };
	struct block6 pool;
	int rc = 0;

	if (!s || !*s)
		s = SUBNET6_POOL_DEFAULT;
	if (parse6(s, &pool) < 0 || pool.prefix < 8 || pool.prefix > AUTO6_PREFIX)
		return ce_error_set(err, EINVAL, "%s=%s is not an IPv6 prefix like fdce:250::/48 (/8../64)", POOL6_ENV, s);
	if (journal_each_project(taken6_by, &t) < 0 || taken6_by_file(p, &t) < 0)
		rc = ce_error_set(err, ENOMEM, "subnets");
	for (size_t i = 0; rc == 0 && i < p->n_networks; i++)
		if (p->networks[i].subnet6_auto)
			rc = pick6(p, i, &pool, &t, nl, err);
	free(t.v);
	return rc;
}

void subnets6_resume(struct project *p, const struct journal_entry *e, size_t n)
{
	struct block6 b;

	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; e[k].kind == J_NET6 && i < p->n_networks; i++) {
			struct network *w = &p->networks[i];

			if (w->subnet6_auto && !strcmp(w->name, e[k].args[0]) && parse6(e[k].args[1], &b) == 0 &&
			    b.prefix == w->prefix6) {
				project_network_move6(p, i, b.net);
				w->subnet6_auto = false;
			}
		}
}
