/* SPDX-License-Identifier: MIT */
/* execopts.h: what exec -t/-e/-w give the command started inside a running container. */
#pragma once

#include <stdbool.h>

#include "runtime/present/pty.h"

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
