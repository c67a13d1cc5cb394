/* SPDX-License-Identifier: MIT */
/* subnets.c: subnet = "auto" at up: the first block of the pool that no host address or route, no other project's journal and no other network of the file has, picked under one lock for the host. */
#include "runtime/verbs/subnets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/net.h"
#include "state/journal.h"
#include "util/addr.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define POOL_ENV "CENGINE_SUBNET_POOL"
#define SUBNETS_LOCK "subnets.lock"	/* under the state root: held from the pick until the `net` lines are written */

struct block {
	uint32_t net;
	int prefix;
};

struct taken {
	struct block *v;
	size_t n, cap;
};

static int taken_add(struct taken *t, uint32_t net, int prefix)
{
	if (t->n == t->cap) {
		struct block *v = realloc(t->v, (t->cap = t->cap ? 2 * t->cap : 32) * sizeof(*v));

		if (!v)
			return -1;
		t->v = v;
	}
	t->v[t->n++] = (struct block){ net, prefix };
	return 0;
}

static bool taken_overlaps(const struct taken *t, uint32_t net, int prefix)
{
	for (size_t i = 0; i < t->n; i++)
		if (addr_subnets_overlap(net, prefix, t->v[i].net, t->v[i].prefix))
			return true;
	return false;
}

/* The `net` lines of one project's journal (a journal being removed: its networks go with it). */
static int taken_by(const char *project, void *ctx)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	struct taken *t = ctx;
	size_t n = 0;
	uint32_t net;
	int prefix;

	if (journal_read(project, &e, &n, NULL) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == J_NET && addr_parse(e[i].args[2], &net, &prefix) == 0 && prefix >= 0 &&
		    taken_add(t, net, prefix) < 0)
			return -1;
	return 0;
}

/* Every subnet the journals under the state root list (the projects that are up, or half up). */
static int taken_by_projects(struct taken *t, struct ce_error *err)
{
	return journal_each_project(taken_by, t) < 0 ? ce_error_set(err, ENOMEM, "subnets") : 0;
}

static int pool_of(struct block *pool, struct ce_error *err)
{
	const char *s = getenv(POOL_ENV);

	if (!s || !*s)
		s = SUBNET_POOL_DEFAULT;
	if (addr_parse(s, &pool->net, &pool->prefix) < 0 || pool->prefix < 1 || pool->prefix > 30 ||
	    addr_network(pool->net, pool->prefix) != pool->net)
		return ce_error_set(err, EINVAL, "%s=%s is not a subnet like 10.250.0.0/16", POOL_ENV, s);
	return 0;
}

/* The first block of n's size in the pool that is free everywhere; it joins t. */
static int pick_one(struct project *p, size_t i, const struct block *pool, struct taken *t, struct net_ctx *nl,
		    struct ce_error *err)
{
	struct network *n = &p->networks[i];
	uint64_t size = 1ull << (32 - n->prefix), end = (uint64_t)pool->net + (1ull << (32 - pool->prefix));
	char a[16];

	if (n->prefix < pool->prefix)
		return ce_error_set(err, EINVAL, "%s:%d: networks.[%zu].subnet: auto/%d is larger than the pool %s/%d (%s)",
				    p->file, n->line, i, n->prefix, addr_format(pool->net, a, sizeof(a)), pool->prefix, POOL_ENV);
	for (uint64_t cand = pool->net; cand + size <= end; cand += size) {
		struct ce_error why = { 0 };

		if (taken_overlaps(t, (uint32_t)cand, n->prefix))
			continue;
		if (net_subnet_check_free(nl, (uint32_t)cand, n->prefix, NULL, &why) < 0) {
			if (why.code != EADDRINUSE) {
				*err = why;
				return -1;
			}
			continue;
		}
		project_network_move(p, i, (uint32_t)cand);
		n->subnet_auto = false;
		return taken_add(t, n->subnet, n->prefix) < 0 ? ce_error_set(err, ENOMEM, "subnets") : 0;
	}
	return ce_error_set(err, EADDRNOTAVAIL, "network %s: no free /%d left in the pool %s/%d (%s)", n->name, n->prefix,
			    addr_format(pool->net, a, sizeof(a)), pool->prefix, POOL_ENV);
}

/* The host-wide lock of the pick, waited for. */
static int lock_pool(struct ce_error *err)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", journal_root(), SUBNETS_LOCK);
	if (mkdir(journal_root(), 0700) < 0 && errno != EEXIST)
		return ce_error_set(err, errno, "mkdir %s", journal_root());
	return fs_lock_file(path, true, err);
}

static bool has_auto(const struct project *p)
{
	for (size_t i = 0; i < p->n_networks; i++)
		if (p->networks[i].subnet_auto || p->networks[i].subnet6_auto)
			return true;
	return false;
}

/* The file's own networks with a subnet of their own. */
static int taken_by_file(const struct project *p, struct taken *t)
{
	for (size_t i = 0; i < p->n_networks; i++)
		if (!p->networks[i].subnet_auto && taken_add(t, p->networks[i].subnet, p->networks[i].prefix) < 0)
			return -1;
	return 0;
}

int runtime_subnets_pick(struct project *p, int *lock, struct ce_error *err)
{
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	struct taken t = { 0 };
	struct block pool;
	int rc = 0;

	*lock = -1;
	if (!has_auto(p))
		return 0;
	if (journal_exists(p->name))	/* up already (or half): its journal has what was picked */
		return runtime_subnets_resume(p, err);
	if (pool_of(&pool, err) < 0 || net_open(&nl, err) < 0 || (*lock = lock_pool(err)) < 0)
		return -1;
	if (taken_by_projects(&t, err) < 0 || taken_by_file(p, &t) < 0)
		rc = err->msg[0] ? -1 : ce_error_set(err, ENOMEM, "subnets");
	for (size_t i = 0; rc == 0 && i < p->n_networks; i++)
		if (p->networks[i].subnet_auto)
			rc = pick_one(p, i, &pool, &t, nl, err);
	if (rc == 0)
		rc = subnets6_pick(p, nl, err);
	free(t.v);
	if (rc < 0) {
		close(*lock);
		*lock = -1;
	}
	return rc;
}

int runtime_subnets_resume(struct project *p, struct ce_error *err)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	size_t n = 0;
	uint32_t net;
	int prefix;

	if (!has_auto(p))
		return 0;
	if (journal_read(p->name, &e, &n, err) < 0)
		return -1;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; e[k].kind == J_NET && i < p->n_networks; i++) {
			struct network *w = &p->networks[i];

			if (w->subnet_auto && !strcmp(w->name, e[k].args[0]) && addr_parse(e[k].args[2], &net, &prefix) == 0 &&
			    prefix == w->prefix) {
				project_network_move(p, i, net);
				w->subnet_auto = false;
			}
		}
	subnets6_resume(p, e, n);
	for (size_t i = 0; i < p->n_networks; i++)
		if (p->networks[i].subnet_auto || p->networks[i].subnet6_auto)
			return ce_error_set(err, ESRCH, "project %s is not up (no subnet picked for network %s)", p->name,
					    p->networks[i].name);
	return 0;
}
