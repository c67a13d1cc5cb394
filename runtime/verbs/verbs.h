/* SPDX-License-Identifier: MIT */
/* verbs.h: the verbs behind the command line: up, down, ps, exec, logs, run, prune, and what up waits for. */
#pragma once

#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#include "model/project.h"
#include "runtime/present/report.h"
#include "util/error.h"

struct up_opts {
	bool interactive;	/* run -it: the (single) container's command gets our stdio */
	bool quiet;
	int *subnet_lock;	/* runtime_subnets_pick()'s lock: closed (-1) once the networks are journalled; or NULL */
};

/* Bring every container of p up; returns 0 once all run with their network
 * configured. 1 when p does not fit this host (runtime_fits_host, under the
 * project's lock): nothing is made, err is "FILE:LINE: setting: why". -1 on a
 * failure: everything made so far is removed again. With interactive,
 * *init_pid receives the (single) container's pid 1. */
int runtime_up(const struct project *p, const struct up_opts *o, pid_t *init_pid, struct ce_error *err);

/* images.c: give each container of p with an image its tree (c->rootfs: the store's, imported and
 * unpacked now where missing, one progress line per layer on a terminal) and the image config's
 * defaults (command, env, user, workdir) where the file has none. Before runtime_up. 0, or -1 with err set. */
int runtime_images_prepare(struct project *p, struct ce_error *err);
/* For exec: container name (when it has an image) gets its image config's Env (the file's over it),
 * User and WorkingDir (where the file has none; exec itself runs as root, as with the user key), as
 * up gave them; the config is the store's (nothing is imported). 0, or -1 with err set. */
int runtime_images_config(struct project *p, const char *name, struct ce_error *err);

/* Stop and remove everything the journal of `project` lists. grace_ms:
 * how long SIGTERM may take before SIGKILL; -1: each container's stop_timeout
 * (and stop_signal first), else DOWN_GRACE_DEFAULT_MS. Nothing up is success. */
#define DOWN_GRACE_DEFAULT_MS 10000
int runtime_down(const char *project, int grace_ms, struct ce_error *err);

/* Print containers (ps columns, see cengine(1)) of one project or of all (NULL). */
int runtime_ps(const char *project, FILE *out, struct ce_error *err);

/* Run argv inside container `name` of p; returns its exit status (0..255)
 * or -1 with err set when it could not be started. */
struct exec_opts;	/* runtime/inside/execopts.h: -it, -e, -w; NULL for none */
int runtime_exec(const struct project *p, const char *name, char **argv, struct exec_opts *o,
		 struct ce_error *err);

/* down without the lock (up uses it to undo a failed start). */
int runtime_teardown(const char *project, int grace_ms, struct ce_error *err);

/* ps --json: the project's document (see cengine(1), JSON OUTPUT). */
int runtime_ps_json(const char *project, FILE *out, struct ce_error *err);

#define LOG_TAIL_ON_ERROR 10		/* log lines printed when a container fails readiness */

struct net_ctx;
/* preflight.c: does p fit this host: is every host link name it plans (bridges, host veths)
 * free (one link dump), does every network overlap no address or route of the host? 0 yes;
 * 1 no, err->msg is "FILE:LINE: setting: why" (a taken link: code EEXIST, whose it is) and
 * the caller exits 2 (the file does not fit this host); -1 the host could not be asked.
 * `up` asks under the project's lock, before it makes anything. */
int runtime_fits_host(const struct project *p, struct net_ctx *nl, struct ce_error *err);
/* "project P's bridge" for a link with the mark "cengine:P:bridge", else "not made by cengine". */
void runtime_link_owner(const char *alias, char *buf, size_t len);

/* logs.c: print the last `tail` lines (-1: all) of a container's log (its
 * rotated files, then the live one), then with follow keep printing what is
 * written, across rotations, until the container has stopped and the log
 * keeper wrote all it had, the project is down, or we get SIGINT/SIGTERM. */
int runtime_logs(const char *project, const char *name, long tail, bool follow, FILE *out,
		 struct ce_error *err);
/* The last n lines of a container's log to out, each prefixed with `prefix`. */
void logs_tail(const char *project, const char *name, long n, const char *prefix, FILE *out);

/* prune.c: remove (dry_run: list) the cached rootfs trees that no project's
 * journal names, temporary trees of unpacks whose cengine is gone, and
 * remembered hashes of removed trees; one line per tree to out, then the total. */
int runtime_prune(bool dry_run, FILE *out, struct ce_error *err);
/* The trees (lower dirs) the journals of this host's projects say their containers use. */
int runtime_trees_in_use(char ***trees, struct ce_error *err);

/* store.c: `pull`: import ref (an image reference, or a bare path: a directory is an OCI layout, a
 * file a docker save or OCI archive) into the store and unpack it; one line per layer on a
 * terminal, then "NAME DIGEST (N layers, SIZE)". `images`: the store's names as a table or a JSON
 * array. `rmi`: forget a name, then remove the tree and blobs no other name and no container uses. */
int runtime_pull(const char *ref, FILE *out, struct ce_error *err);
int runtime_images(bool json, FILE *out, struct ce_error *err);
int runtime_rmi(const char *ref, FILE *out, struct ce_error *err);

/* doctor.c: can this host run p (NULL: the host alone)? One line a check (OK, WARN, FAIL), what it
 * means and the fix, to out as text or (json) one JSON document. Returns the number of FAILs: what
 * p needs and the host lacks, or what no file can do without. */
int runtime_doctor(const struct project *p, bool json, FILE *out);

/* ready.c: run every container's ready command (like exec) until it exits 0
 * or its ready_timeout passes. On timeout err names the container and the
 * last lines of its log go to stderr, once the log keeper (log_ctl, -1: none)
 * has written out what the container wrote. */
struct launch;	/* runtime/launch/launch.h: ls[i] is container i's; a held one (depends_on) gets its
		 * command started (launch_go) once each container it depends on is ready */
int ready_wait_all(const struct project *p, struct launch *ls, int log_ctl, bool progress, struct ce_error *err);

/* test.c: `cengine test` (struct check_outcome: runtime/present/report.h). */
/* Called once per check, in file order, as soon as it and every check before it are done. */
typedef void (*check_report_fn)(const struct project *p, size_t i, const struct check_outcome *o, void *ctx);
/* Run every check of p (which must be up), at most jobs at once, each from inside its container's
 * network namespace (run: as exec). out[i] for p->checks[i]. Once *stop is set (a signal handler),
 * the running checks are killed and the others not started: they fail, "interrupted". The number
 * of checks that did not pass, or -1 with err set when they could not be run. */
int runtime_test(const struct project *p, int jobs, struct check_outcome *out, check_report_fn report, void *ctx,
		 const volatile sig_atomic_t *stop, struct ce_error *err);
/* test_target.c: the address check c probes, from the model (a container's address on a network or
 * link it shares with c's container, else its first). 0, or -1 with err set. */
struct sockaddr_storage;
int runtime_check_target(const struct project *p, const struct check *c, struct sockaddr_storage *sa, char *text,
			 size_t len, struct ce_error *err);

/* subnets.c: subnet = "auto". The pool is CENGINE_SUBNET_POOL, default: */
#define SUBNET_POOL_DEFAULT "10.250.0.0/16"
/* subnets6.c: subnet6 = "auto" takes a /64 of CENGINE_SUBNET6_POOL, default: */
#define SUBNET6_POOL_DEFAULT "fdce:250::/48"
/* Before up: move each auto network of p to the first block of its size in the pool that overlaps no
 * host address or route, no network in another project's journal and no network of p. *lock: the
 * host-wide lock of the pick (-1: none was needed), to be held until up has journalled the networks
 * (up_opts.subnet_lock). A project that is up already gets what its journal says (as resume). */
int runtime_subnets_pick(struct project *p, int *lock, struct ce_error *err);
/* For a project that is up: move its auto networks to the subnets its journal lists. */
int runtime_subnets_resume(struct project *p, struct ce_error *err);

/* gc.c: take down (dry_run: list) what no project owns, for the projects whose name starts with
 * prefix ("" all): a journal without `up` at its end that no cengine holds the lock of (an up
 * that died), and the objects marked as a project's (link alias, cgroup cengine/<project>,
 * nftables tables cengine-<project>) of a project without a journal (/run wiped), through a
 * journal rebuilt from the marks and down's own undo. A project whose lock is held (a cengine at
 * work on it) or that is up is left alone; nothing unmarked is touched. One line per object. */
int runtime_gc(const char *prefix, bool dry_run, FILE *out, struct ce_error *err);
