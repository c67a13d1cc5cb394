/* SPDX-License-Identifier: MIT */
/* undo.c: the table of what `down` does for each kind of journal entry, and the passes that run it. */
#include "runtime/verbs/undo.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model/naming.h"
#include "net/net.h"
#include "runtime/verbs/owned.h"
#include "runtime/verbs/verbs.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/fs.h"

/* pid <container> <pid> <starttime>: signal the container's init if it is still that process,
 * and in the project's cgroup of that container. */
#define KEEPER_KILL_MS 5000	/* a SIGKILLed process is gone in microseconds, unless stuck in the kernel */

/* stop <container> <signal> <timeout ms>: for its pid line, which comes next. */
static int note_stop(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	int sig = atoi(e->args[1]);

	(void)err;
	snprintf(ctx->stop_name, sizeof(ctx->stop_name), "%s", e->args[0]);
	ctx->stop_sig = sig > 0 && sig <= SIGRTMAX ? sig : SIGTERM;
	ctx->stop_ms = atoi(e->args[2]);
	return 0;
}

/* How long the container named in a pid line may take to stop: down's -t, else its stop_timeout,
 * else the default; and the signal it gets first (SIGKILL when it may take no time). */
static int stop_ms_of(const struct undo_ctx *ctx, const char *name, int *sig)
{
	bool own = !strcmp(ctx->stop_name, name);
	int ms = ctx->grace_ms >= 0 ? ctx->grace_ms : own && ctx->stop_ms >= 0 ? ctx->stop_ms : DOWN_GRACE_DEFAULT_MS;

	*sig = ms == 0 ? SIGKILL : own ? ctx->stop_sig : SIGTERM;
	return ms;
}

/* pid <container> <pid> <starttime>: signal the container's init if it is still that process. */
static int stop_pid(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	pid_t pid = (pid_t)atoi(e->args[1]);
	struct pollfd *p = &ctx->stopping[ctx->n_stopping];
	_cleanup_close_ int fd = -1;
	int ours, sig;

	if (pid <= 0 || !proc_is(pid, strtoull(e->args[2], NULL, 10)))
		return 0;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0 || !proc_is(pid, strtoull(e->args[2], NULL, 10)))
		return 0;	/* gone meanwhile: the pidfd (if any) holds another process */
	ours = owned_name(e->args[0]) ? owned_process(pid, ctx->project, e->args[0]) : -1;
	if (ours <= 0)
		return ours < 0 ? owned_refuse(e, "the process", err) : 0;
	p->fd = steal_fd(&fd);
	p->events = POLLIN;
	ctx->stop_wait_ms[ctx->n_stopping] = stop_ms_of(ctx, e->args[0], &sig);
	syscall(SYS_pidfd_send_signal, p->fd, sig, NULL, 0);
	ctx->n_stopping++;
	return 0;
}

void undo_stop_wait(struct undo_ctx *ctx)
{
	long long start = (long long)clock_mono_ms();

	for (size_t i = 0; i < ctx->n_stopping; i++) {
		long long left = start + ctx->stop_wait_ms[i] - (long long)clock_mono_ms();

		if (left > 0 && poll(&ctx->stopping[i], 1, (int)left) == 1)
			continue;
		syscall(SYS_pidfd_send_signal, ctx->stopping[i].fd, SIGKILL, NULL, 0);
	}
	for (size_t i = 0; i < ctx->n_stopping; i++)
		close(ctx->stopping[i].fd);
	ctx->n_stopping = 0;
}

/* bridge|veth <ifname>: noted for the one batch that deletes every link of the project, with its mark. */
/* keeper <pid> <starttime>: the log keeper, if still that process. The containers are gone by now
 * (its pipes reached EOF), and their logs go next: SIGKILL, then wait until it is gone, so that
 * no file appears in a state dir while it is removed. */
static int undo_keeper(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	pid_t pid = (pid_t)atoi(e->args[0]);
	_cleanup_close_ int fd = -1;
	struct pollfd p;

	(void)ctx;
	if (!proc_is(pid, strtoull(e->args[1], NULL, 10)))
		return 0;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return 0;	/* gone meanwhile */
	syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, KEEPER_KILL_MS) != 1)
		return ce_error_set(err, ETIMEDOUT, "log keeper %d did not exit", (int)pid);
	return 0;
}

/* bridge|veth <ifname>: noted for the one batch that deletes every link of the project. */
static int note_link(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	(void)err;
	ctx->links[ctx->n_links++] = (struct net_owned){
		.name = e->args[0], .alias = e->kind == J_BRIDGE ? ctx->alias_bridge : ctx->alias_veth };
	return 0;
}

/* ifindex <ifname> <index>: the index the link noted last under that name got (then only the
 * link of that index can be it). A line without its link names nothing to delete. */
static int note_ifindex(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	(void)err;
	for (size_t i = ctx->n_links; i-- > 0;)
		if (!strcmp(ctx->links[i].name, e->args[0])) {
			ctx->links[i].ifindex = atoi(e->args[1]) > 0 ? atoi(e->args[1]) : 0;
			break;
		}
	return 0;
}

/* dir <absolute path>: rm -rf, staying on its file system; only a container's dir in the project's state dir. */
static int undo_dir(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	char own[512];

	journal_dir(ctx->project, own, sizeof(own));
	if (!owned_path(e->args[0], own, false))
		return owned_refuse(e, "the directory", err);
	if (fs_remove_tree(e->args[0]) < 0)
		return ce_error_set(err, errno, "remove %s", e->args[0]);
	return 0;
}

/* cgroup <rel path>: kill what is left in it, then remove it; only cengine/<project>[/<container>]. */
static int undo_cgroup(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	char own[256];

	naming_cgroup(ctx->project, NULL, own, sizeof(own));
	if (!owned_path(e->args[0], own, true))
		return owned_refuse(e, "the cgroup", err);
	if (!ctx->cg) {
		*err = ctx->cg_err;	/* the group stays: an error, not success */
		return -1;
	}
	return ctx->cg->kill_all(e->args[0], err) < 0 ? -1 : ctx->cg->destroy(e->args[0], err);
}

/* An entry "<kind> <project>" of nftables tables: only this project's, and only when they carry
 * its mark for that kind; remove(project, mark, err) is 0, > 0 (not ours: left alone) or -1. */
static int undo_nft(const struct journal_entry *e, struct undo_ctx *ctx, const char *what,
		    int (*remove)(const char *project, const char *mark, struct ce_error *err), struct ce_error *err)
{
	char mark[NAMING_MARK_MAX];
	int rc;

	if (strcmp(e->args[0], ctx->project))
		return owned_refuse(e, what, err);
	naming_mark(ctx->project, journal_kind_name(e->kind), mark, sizeof(mark));
	rc = remove(e->args[0], mark, err);
	return rc ? (rc > 0 ? owned_refuse(e, what, err) : -1) : 0;
}

/* nat <project>: its nftables table (cengine-<project>: one table per project name). */
static int undo_nat(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	return undo_nft(e, ctx, "the nft table", net_nat_remove, err);
}

/* filter <project>: its bridge and inet nftables tables (cengine-<project>), when they carry its mark. */
static int undo_filter(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	return undo_nft(e, ctx, "the nft tables", net_filter_remove, err);
}

/* Does another project's journal still hold host forwarding (nat)? */
static bool forward_used_elsewhere(const char *project)
{
	DIR *d = opendir(journal_root());
	bool used = false;

	for (struct dirent *de; d && !used && (de = readdir(d));) {
		_cleanup_free_ struct journal_entry *e = NULL;
		size_t n = 0;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, project) || de->d_type != DT_DIR ||
		    journal_read(de->d_name, &e, &n, NULL) < 0)
			continue;
		for (size_t i = 0; i < n && !used; i++)
			used = e[i].kind == J_FORWARD;
	}
	if (d)
		closedir(d);
	return used;
}

/* forward <project>: host ip_forward back to what it was, once no other project asks for it. */
static int undo_forward(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	if (strcmp(e->args[0], ctx->project))
		return owned_refuse(e, "the forwarding request", err);
	return net_host_forward_release(journal_root(), forward_used_elsewhere(e->args[0]), err);
}

/* A line this cengine cannot read (a newer cengine's kind, or too few arguments):
 * whatever it names stays, so the journal stays too. */
static int undo_unknown(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	char text[512];

	(void)ctx;
	journal_entry_text(e, text, sizeof(text));
	return ce_error_set(err, EPROTO, "journal line %u `%s`: unknown kind or missing arguments, "
			    "left as it is (written by a newer cengine?)", e->line, text);
}

/* What down does for each kind: adding a kind to the journal is one row here. */
static const struct undo_row rows[JOURNAL_KINDS] = {
	[JOURNAL_UNKNOWN] = { UNDO_EACH, undo_unknown },
	[J_CGROUP] = { UNDO_EACH, undo_cgroup },
	[J_BRIDGE] = { UNDO_LINK, note_link },
	[J_DIR] = { UNDO_EACH, undo_dir },
	[J_VETH] = { UNDO_LINK, note_link },
	[J_IFINDEX] = { UNDO_LINK, note_ifindex },
	[J_PID] = { UNDO_STOP, stop_pid },
	[J_ADDR] = { UNDO_NOTHING, NULL },	/* goes with the veth */
	[J_UP] = { UNDO_NOTHING, NULL },
	[J_NET] = { UNDO_NOTHING, NULL },	/* for ps; the bridge has its own line */
	[J_LINK] = { UNDO_NOTHING, NULL },	/* dies with the containers' netns */
	[J_NAT] = { UNDO_EACH, undo_nat },
	[J_FORWARD] = { UNDO_EACH, undo_forward },
	[J_STARTED] = { UNDO_NOTHING, NULL },
	[J_PROFILE] = { UNDO_NOTHING, NULL },	/* a record for exec, ready and ps */
	[J_KEEPER] = { UNDO_EACH, undo_keeper },
	[J_ROOTFS] = { UNDO_NOTHING, NULL },	/* the cache is not the project's (prune reads it) */
	[J_FILTER] = { UNDO_EACH, undo_filter },
	[J_STOP] = { UNDO_STOP, note_stop },
};

const struct undo_row *undo_row(enum journal_kind kind)
{
	static const struct undo_row missing = { UNDO_MISSING, NULL };

	return (unsigned)kind < JOURNAL_KINDS ? &rows[kind] : &missing;
}

int undo_ctx_init(struct undo_ctx *ctx, const char *project, int grace_ms, size_t n, struct ce_error *err)
{
	*ctx = (struct undo_ctx){ .project = project, .grace_ms = grace_ms };
	ctx->stopping = calloc(n ? n : 1, sizeof(*ctx->stopping));
	ctx->stop_wait_ms = calloc(n ? n : 1, sizeof(*ctx->stop_wait_ms));
	ctx->links = calloc(n ? n : 1, sizeof(*ctx->links));
	if (!ctx->stopping || !ctx->stop_wait_ms || !ctx->links) {
		undo_ctx_free(ctx);
		return ce_error_set(err, ENOMEM, "down %s", project);
	}
	naming_mark(project, journal_kind_name(J_BRIDGE), ctx->alias_bridge, sizeof(ctx->alias_bridge));
	naming_mark(project, journal_kind_name(J_VETH), ctx->alias_veth, sizeof(ctx->alias_veth));
	return 0;
}

void undo_ctx_free(struct undo_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_stopping; i++)
		close(ctx->stopping[i].fd);
	free(ctx->stopping);
	free(ctx->stop_wait_ms);
	free(ctx->links);
	ctx->stopping = NULL, ctx->links = NULL, ctx->stop_wait_ms = NULL;
	ctx->n_stopping = ctx->n_links = 0;
}

static int undo_one(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	const struct undo_row *r = undo_row(e->kind);

	if (r->when == UNDO_MISSING)
		return ce_error_set(err, ENOSYS, "journal line %u: kind %s has no undo", e->line,
				    journal_kind_name(e->kind));
	return r->undo ? r->undo(e, ctx, err) : 0;
}

void undo_pass(struct undo_ctx *ctx, const struct journal_entry *e, size_t n, enum undo_when when,
	       struct ce_error *first)
{
	for (size_t k = 0; k < n; k++) {
		const struct journal_entry *one = &e[when == UNDO_EACH ? n - 1 - k : k];
		enum undo_when w = undo_row(one->kind)->when;
		struct ce_error err = { 0 };

		if (w != when && !(when == UNDO_EACH && w == UNDO_MISSING))
			continue;
		if (undo_one(one, ctx, &err) < 0 && !first->code) {
			*first = err;
			first->code = first->code ? first->code : -1;
		}
	}
}
