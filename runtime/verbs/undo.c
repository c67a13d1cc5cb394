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

#include "net/net.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/fs.h"

/* pid <container> <pid> <starttime>: signal the container's init if it is still that process. */
static int stop_pid(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	pid_t pid = (pid_t)atoi(e->args[1]);
	struct pollfd *p = &ctx->stopping[ctx->n_stopping];

	(void)err;
	if (!proc_is(pid, strtoull(e->args[2], NULL, 10)))
		return 0;
	p->fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (p->fd < 0)
		return 0;	/* gone meanwhile */
	p->events = POLLIN;
	syscall(SYS_pidfd_send_signal, p->fd, ctx->grace_ms > 0 ? SIGTERM : SIGKILL, NULL, 0);
	ctx->n_stopping++;
	return 0;
}

void undo_stop_wait(struct undo_ctx *ctx)
{
	long long deadline = (long long)clock_mono_ms() + ctx->grace_ms;

	for (size_t i = 0; i < ctx->n_stopping; i++) {
		long long left = deadline - (long long)clock_mono_ms();

		if (left > 0 && poll(&ctx->stopping[i], 1, (int)left) == 1)
			continue;
		syscall(SYS_pidfd_send_signal, ctx->stopping[i].fd, SIGKILL, NULL, 0);
	}
	for (size_t i = 0; i < ctx->n_stopping; i++)
		close(ctx->stopping[i].fd);
	ctx->n_stopping = 0;
}

/* bridge|veth <ifname>: noted for the one batch that deletes every link of the project. */
static int note_link(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	(void)err;
	ctx->links[ctx->n_links++] = e->args[0];
	return 0;
}

/* dir <absolute path>: rm -rf, staying on its file system. */
static int undo_dir(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	(void)ctx;
	if (fs_remove_tree(e->args[0]) < 0)
		return ce_error_set(err, errno, "remove %s", e->args[0]);
	return 0;
}

/* cgroup <rel path>: kill what is left in it, then remove it. */
static int undo_cgroup(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	if (!ctx->cg) {
		*err = ctx->cg_err;	/* the group stays: an error, not success */
		return -1;
	}
	return ctx->cg->kill_all(e->args[0], err) < 0 ? -1 : ctx->cg->destroy(e->args[0], err);
}

/* nat <project>: its nftables table. */
static int undo_nat(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	(void)ctx;
	return net_nat_remove(e->args[0], err);
}

/* filter <project>: its bridge and inet nftables tables. */
static int undo_filter(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err)
{
	(void)ctx;
	return net_filter_remove(e->args[0], err);
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
	(void)ctx;
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
	[J_PID] = { UNDO_STOP, stop_pid },
	[J_ADDR] = { UNDO_NOTHING, NULL },	/* goes with the veth */
	[J_UP] = { UNDO_NOTHING, NULL },
	[J_NET] = { UNDO_NOTHING, NULL },	/* for ps; the bridge has its own line */
	[J_LINK] = { UNDO_NOTHING, NULL },	/* dies with the containers' netns */
	[J_NAT] = { UNDO_EACH, undo_nat },
	[J_FORWARD] = { UNDO_EACH, undo_forward },
	[J_FILTER] = { UNDO_EACH, undo_filter },
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
	ctx->links = calloc(n ? n : 1, sizeof(*ctx->links));
	if (!ctx->stopping || !ctx->links) {
		undo_ctx_free(ctx);
		return ce_error_set(err, ENOMEM, "down %s", project);
	}
	return 0;
}

void undo_ctx_free(struct undo_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_stopping; i++)
		close(ctx->stopping[i].fd);
	free(ctx->stopping);
	free(ctx->links);
	ctx->stopping = NULL, ctx->links = NULL;
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
