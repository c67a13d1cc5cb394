/* SPDX-License-Identifier: MIT */
/* ops.h: day-two operations: host preflight, JSON, logs, pty, readiness, progress lines. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "parser/project.h"
#include "util/error.h"

#define READY_TIMEOUT_DEFAULT 30.0	/* seconds, when a container has ready but no ready_timeout */
#define LOG_TAIL_ON_ERROR 10		/* log lines printed when a container fails readiness */

/* preflight.c: does every network fit this host (no address or route
 * overlap)? On conflict err->msg is "FILE:LINE: networks.[i].subnet: why"
 * and the caller exits 2 (the file does not fit this host). */
int runtime_preflight(const struct project *p, struct ce_error *err);

/* json.c: s as a JSON string literal (quotes, escapes; NULL -> null). */
void json_str(FILE *f, const char *s);

/* ps.c: the project's document (see cengine(1), JSON OUTPUT), or a table. */
int runtime_ps_json(const char *project, FILE *out, struct ce_error *err);

/* logs.c: print the last `tail` lines (-1: all) of a container's log, then
 * with follow keep printing what is appended until the container's project
 * is down or we get SIGINT/SIGTERM. */
int runtime_logs(const char *project, const char *name, long tail, bool follow, FILE *out,
		 struct ce_error *err);
/* The last n lines of file `path` to out, each prefixed with `prefix`. */
void logs_tail_path(const char *path, long n, const char *prefix, FILE *out);

/* pty.c: a pseudo-terminal for exec -it and run -it. */
struct pty {
	int master, slave;
};
int pty_open(struct pty *t, struct ce_error *err);
/* A pty from the devpts of the container whose pid 1 is `pid` (so `tty`
 * names it inside), owned by the container's root; else from the host's. */
int pty_open_in(struct pty *t, pid_t pid, struct ce_error *err);
/* In the child: new session, slave as controlling terminal and stdio. */
int pty_make_controlling(struct pty *t);
/* In the parent: our terminal raw, relay both ways, SIGWINCH -> TIOCSWINSZ,
 * until the child `pid` exits; returns its exit status (128+sig when killed). */
int pty_relay(struct pty *t, pid_t pid);
void pty_close(struct pty *t);
/* run -t: open a pty and make its slave our stdio (saved[] keeps ours) while
 * the container is cloned; pty_detach() puts ours back. */
int pty_attach(struct pty *t, int saved[3]);
void pty_detach(int saved[3]);

/* execopts.c: what exec -e/-w add to the container's environment and cwd. */
struct exec_opts {
	bool tty;		/* -t: a pty */
	bool interactive;	/* -i: keep stdin (always true for a pty) */
	char **env;		/* extra KEY=VAL, NULL-terminated, may be NULL */
	const char *workdir;	/* -w, NULL: / */
	struct pty pty;		/* set up by runtime_exec() when tty */
};
/* In the exec'd child, before runtime_environ(): the pty as controlling
 * terminal and stdio. After: -e entries into *envp, chdir -w. 0 or -1. */
int exec_opts_terminal(struct exec_opts *o);
int exec_opts_apply(const struct exec_opts *o, char ***envp);
/* envp with o->env entries added (replacing same KEY); freed with free() of
 * the array only (strings are borrowed). */
char **exec_environ(char **envp, char *const *extra);

/* ready.c: run every container's ready command (like exec) until it exits 0
 * or its ready_timeout passes. On timeout err names the container and the
 * last lines of its log go to stderr. */
int ready_wait_all(const struct project *p, bool progress, struct ce_error *err);

/* progress.c: one line per container on a terminal (stdout is a tty and not
 * --quiet/--json); nothing otherwise. */
bool progress_enabled(void);
void progress_set(bool on);
void progress_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
