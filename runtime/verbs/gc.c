/* SPDX-License-Identifier: MIT */
/* gc.c: `cengine gc`: take down what no project owns: the journals of ups that died, and, where no journal is left (/run wiped), the objects marked as a project's, through a journal rebuilt from the marks. */
#include "runtime/verbs/verbs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/naming.h"
#include "runtime/verbs/gc_scan.h"
#include "state/journal.h"
#include "util/cleanup.h"

/* Did the project's up finish (J_UP)? Then it is up, whatever its containers do. */
static bool journal_up(const char *project)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	size_t n = 0;

	if (journal_read(project, &e, &n, NULL) < 0)
		return true;	/* unreadable: not ours to judge */
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == J_UP)
			return true;
	return false;
}

/* Its lock, when no cengine holds it (one that does is setting it up or taking it down): -1 if held. */
static int lock_idle(const char *project)
{
	struct ce_error err = { 0 };

	return journal_lock(project, false, &err);
}

/* A journal without `up` at its end and without a cengine at work on it: an up that died. */
static int collect_journal(const char *project, bool dry_run, FILE *out, struct ce_error *err)
{
	int lock;

	if (journal_up(project) || (lock = lock_idle(project)) < 0)
		return 0;
	if (!journal_exists(project) || journal_up(project)) {	/* gone or up meanwhile */
		close(lock);
		return 0;
	}
	fprintf(out, "%s %s: an up that did not finish (its journal)\n", dry_run ? "would take down" : "took down", project);
	if (dry_run) {
		close(lock);
		return 0;
	}
	if (runtime_teardown(project, 0, err) < 0) {
		close(lock);
		return ce_error_wrap(err, "gc %s", project);
	}
	journal_unlock_remove(project, lock);
	return 0;
}

struct journals {
	const char *prefix;
	bool dry_run;
	FILE *out;
	struct ce_error *err;
	int rc;
};

static int collect_one(const char *project, void *ctx)
{
	struct journals *c = ctx;

	if (naming_project_valid(project) && !strncmp(project, c->prefix, strlen(c->prefix)) &&
	    collect_journal(project, c->dry_run, c->out, c->rc < 0 ? &(struct ce_error){ 0 } : c->err) < 0)
		c->rc = -1;	/* the first error stays in err; the others are still tried */
	return 0;
}

static int collect_journals(const char *prefix, bool dry_run, FILE *out, struct ce_error *err)
{
	struct journals c = { prefix, dry_run, out, err, 0 };

	journal_each_project(collect_one, &c);
	return c.rc;
}

/* What is left in the project's state dir (a container's dir the log keeper wrote to after a
 * wipe): a `dir` line each, removed last. */
static int journal_leftovers(struct journal *j, struct ce_error *err)
{
	DIR *d = opendir(j->dir);
	int rc = 0;

	for (struct dirent *de; d && rc == 0 && (de = readdir(d));)
		if (de->d_type == DT_DIR && de->d_name[0] != '.')
			rc = journal_add(j, err, J_DIR, "%s/%s", j->dir, de->d_name);
	if (d)
		closedir(d);
	return rc;
}

/* The journal down would have had: what is left in the state dir, the tables, the cgroups (parent
 * first: down undoes in reverse), each link with the index it has now (only that link can be deleted). */
static int rebuild(const struct gc_found *f, struct ce_error *err)
{
	struct journal j = { .fd = -1 };
	int rc = journal_create(f->project, &j, err);

	if (rc == 0)
		rc = journal_leftovers(&j, err);
	if (rc == 0 && f->nft)
		rc = journal_add(&j, err, J_FILTER, "%s", f->project) < 0 || journal_add(&j, err, J_NAT, "%s", f->project) < 0 ? -1 : 0;
	for (size_t i = 0; rc == 0 && i < f->n_hostfw; i++)
		rc = journal_add(&j, err, J_HOSTFW, "%s %s %s %s", f->project, f->hostfw[i].family, f->hostfw[i].table,
				 f->hostfw[i].chain);
	for (size_t i = 0; rc == 0 && i < f->n_cgroups; i++)
		rc = journal_add(&j, err, J_CGROUP, "%s", f->cgroups[i]);
	for (size_t i = 0; rc == 0 && i < f->n_links; i++) {
		const struct gc_link *l = &f->links[i];

		rc = journal_add(&j, err, l->bridge ? J_BRIDGE : J_VETH, "%s", l->name);
		if (rc == 0)
			rc = journal_add(&j, err, J_IFINDEX, "%s %d", l->name, l->ifindex);
	}
	journal_close(&j);
	return rc;
}

static void say(FILE *out, const struct gc_found *f, bool dry_run)
{
	const char *verb = dry_run ? "would remove" : "removed";

	for (size_t i = 0; i < f->n_links; i++)
		fprintf(out, "%s %s: %s %s\n", verb, f->project, f->links[i].bridge ? "bridge" : "veth", f->links[i].name);
	for (size_t i = 0; i < f->n_cgroups; i++)
		fprintf(out, "%s %s: cgroup %s\n", verb, f->project, f->cgroups[i]);
	if (f->nft)
		fprintf(out, "%s %s: nftables tables cengine-%s\n", verb, f->project, f->project);
	for (size_t i = 0; i < f->n_hostfw; i++) {
		char name[160];

		net_hostfw_chain_name(&f->hostfw[i], name, sizeof(name));
		fprintf(out, "%s %s: host firewall rules in %s\n", verb, f->project, name);
	}
}

/* Marked objects of a project without a journal, and without a cengine at work on it. */
static int collect_marked(const struct gc_found *f, bool dry_run, FILE *out, struct ce_error *err)
{
	int lock, rc = 0;

	if (journal_exists(f->project) || (lock = lock_idle(f->project)) < 0)
		return 0;
	if (journal_exists(f->project)) {	/* an up began meanwhile: its objects are its own */
		close(lock);
		return 0;
	}
	if (!dry_run && (rebuild(f, err) < 0 || runtime_teardown(f->project, 0, err) < 0))
		rc = ce_error_wrap(err, "gc %s", f->project);
	if (rc == 0)
		say(out, f, dry_run);
	if (rc == 0 && !dry_run)
		journal_unlock_remove(f->project, lock);
	else
		close(lock);
	return rc;
}

int runtime_gc(const char *prefix, bool dry_run, FILE *out, struct ce_error *err)
{
	struct gc_found *found = NULL;
	size_t n = 0;
	int rc = collect_journals(prefix, dry_run, out, err);

	if (gc_scan(prefix, &found, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (collect_marked(&found[i], dry_run, out, rc < 0 ? &(struct ce_error){ 0 } : err) < 0)
			rc = -1;
	gc_found_free(found, n);
	return rc;
}
