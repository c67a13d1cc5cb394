/* SPDX-License-Identifier: MIT */
/* undo.h: how `down` undoes each kind of journal entry: one row per kind (undo.c), run in passes. */
#pragma once

#include <poll.h>
#include <stddef.h>

#include "cgroup/cgroup.h"
#include "model/naming.h"
#include "model/project.h"
#include "net/net.h"
#include "state/journal.h"
#include "util/error.h"

/* The pass a kind is undone in. down runs them in this order: UNDO_LINK (names
 * noted, then deleted in one kernel batch by a thread meanwhile), UNDO_STOP
 * (every process signalled at once, then waited for), UNDO_EACH (removed one by
 * one in reverse journal order, once the processes are gone). */
enum undo_when {
	UNDO_MISSING = 0,	/* a kind without its row: down reports it and keeps the journal */
	UNDO_NOTHING,		/* nothing of its own on the host (informs ps, or dies with a netns) */
	UNDO_LINK,		/* a host link, args[0] its name, or the ifindex it got */
	UNDO_STOP,		/* a process, signalled (SIGTERM, or SIGKILL with no grace) */
	UNDO_EACH,		/* removed by its undo function */
};

struct undo_ctx {
	const char *project;
	int grace_ms;			/* how long SIGTERM may take before SIGKILL; 0: SIGKILL at once;
					 * -1: each container's stop_timeout, else DOWN_GRACE_DEFAULT_MS */
	struct pollfd *stopping;	/* pidfds of the processes the UNDO_STOP pass signalled */
	int *stop_wait_ms;		/* how long each of them may take */
	char stop_name[CE_NAME_MAX];	/* the last stop line: its container, signal and timeout */
	int stop_sig, stop_ms;
	size_t n_stopping;
	struct net_owned *links;	/* links the UNDO_LINK pass noted (names pointing into the entries) */
	size_t n_links;
	char alias_bridge[NAMING_MARK_MAX];	/* the marks the project's links were made with */
	char alias_veth[NAMING_MARK_MAX];
	const struct cgroup_ops *cg;	/* for UNDO_EACH; NULL when detection failed: cg_err says why */
	struct ce_error cg_err;
};

struct undo_row {
	enum undo_when when;
	/* UNDO_LINK, UNDO_STOP: note (and signal) into ctx; UNDO_EACH: remove. An
	 * object that is already gone is success. NULL for UNDO_NOTHING. */
	int (*undo)(const struct journal_entry *e, struct undo_ctx *ctx, struct ce_error *err);
};

/* The row of a kind (UNDO_MISSING for a kind without one). */
const struct undo_row *undo_row(enum journal_kind kind);

/* Room for the links and processes of n entries. */
int undo_ctx_init(struct undo_ctx *ctx, const char *project, int grace_ms, size_t n, struct ce_error *err);
void undo_ctx_free(struct undo_ctx *ctx);

/* Undo every entry whose kind belongs to pass `when` (UNDO_EACH in reverse
 * order); all run even after a failure, the first one goes into *first. */
void undo_pass(struct undo_ctx *ctx, const struct journal_entry *e, size_t n, enum undo_when when,
	       struct ce_error *first);
/* Wait for the processes UNDO_STOP signalled, up to grace_ms in all; SIGKILL the rest. */
void undo_stop_wait(struct undo_ctx *ctx);
