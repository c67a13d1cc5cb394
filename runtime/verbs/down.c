/* SPDX-License-Identifier: MIT */
/* down.c: stop a project's containers and remove, in reverse, every object its journal lists. */
#include "runtime/verbs/verbs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "cgroup/cgroup.h"
#include "model/naming.h"
#include "net/net.h"
#include "runtime/verbs/undo.h"
#include "state/journal.h"
#include "util/cleanup.h"
#include "util/timing.h"

/* Every bridge and host veth of the project (noted by the UNDO_LINK pass) that still carries
 * its mark, in one kernel batch where the group allows (net_links_delete_owned). */
static int delete_links(const struct undo_ctx *ctx, struct net_ctx *nl, const struct ce_error *nl_err,
			struct ce_error *err)
{
	if (!ctx->n_links)
		return 0;
	if (!nl) {
		*err = *nl_err;	/* the links stay: an error, not success */
		return -1;
	}
	return net_links_delete_owned(nl, naming_group(ctx->project), ctx->links, ctx->n_links, err);
}

/* A journalled name or index now held by a link that is not the project's: it stays, and down says so. */
static void warn_foreign(const struct undo_ctx *ctx)
{
	char owner[128];

	for (size_t i = 0; i < ctx->n_links; i++) {
		const struct net_owned *l = &ctx->links[i];

		if (l->fate != NET_OWNED_FOREIGN)
			continue;
		runtime_link_owner(l->seen, owner, sizeof(owner));
		if (l->ifindex)
			fprintf(stderr, "cengine: down %s: link %s (ifindex %d) is not this project's (%s): left alone\n",
				ctx->project, l->name, l->ifindex, owner);
		else
			fprintf(stderr, "cengine: down %s: link %s is not this project's (%s): left alone\n",
				ctx->project, l->name, owner);
	}
}

/* Link deletion waits in the kernel (rcu_barrier, ~30 ms here) however few links
 * there are; it runs in a thread while the main one stops containers and removes
 * cgroups and directories. */
struct link_job {
	const struct undo_ctx *ctx;
	struct ce_error err;
	int rc;
};

static void *delete_links_job(void *arg)
{
	struct link_job *job = arg;
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	struct ce_error open_err = { 0 };

	if (net_open(&nl, &open_err) < 0)
		nl = NULL;
	job->rc = delete_links(job->ctx, nl, &open_err, &job->err);
	return NULL;
}

/* Undo every entry through its kind's row (undo.c): links in a thread, processes, then the rest in reverse. */
static void undo_all(struct undo_ctx *ctx, const struct journal_entry *e, size_t n, struct ce_error *first)
{
	struct link_job links = { .ctx = ctx };
	pthread_t links_thread;
	bool threaded;

	undo_pass(ctx, e, n, UNDO_LINK, first);
	threaded = pthread_create(&links_thread, NULL, delete_links_job, &links) == 0;
	if (!threaded)
		delete_links_job(&links);
	undo_pass(ctx, e, n, UNDO_STOP, first);
	undo_stop_wait(ctx);
	timing_mark("down: stop containers");
	ctx->cg = cgroup_detect(&ctx->cg_err);
	undo_pass(ctx, e, n, UNDO_EACH, first);
	timing_mark("down: cgroups and dirs");
	if (threaded)
		pthread_join(links_thread, NULL);
	timing_mark("down: links deleted");
	warn_foreign(ctx);
	if (links.rc < 0)	/* a link that stayed is reported first */
		*first = links.err, first->code = first->code ? first->code : -1;
}

int runtime_teardown(const char *project, int grace_ms, struct ce_error *err)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	struct ce_error first = { 0 };
	struct undo_ctx ctx;
	size_t n = 0;

	timing_mark("down: start");
	if (journal_read(project, &e, &n, err) < 0 || undo_ctx_init(&ctx, project, grace_ms, n, err) < 0)
		return -1;
	undo_all(&ctx, e, n, &first);
	undo_ctx_free(&ctx);
	/* something stayed: keep the journal, so the next `down` tries again */
	if (!first.code && journal_remove(project, &first) < 0 && !first.code)
		first.code = -1;
	if (first.code) {
		if (err)
			*err = first;
		return -1;
	}
	return 0;
}

int runtime_down(const char *project, int grace_ms, struct ce_error *err)
{
	int lock = journal_lock(project, true, err);
	int rc;

	if (lock < 0)
		return -1;
	rc = runtime_teardown(project, grace_ms, err);
	journal_unlock_remove(project, lock);
	return rc;
}
