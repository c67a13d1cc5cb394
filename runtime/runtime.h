/* SPDX-License-Identifier: MIT */
/* runtime.h: the verbs behind the command line: up, down, ps, exec, run. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "parser/project.h"
#include "util/error.h"

struct up_opts {
	bool interactive;	/* run -it: the (single) container's command gets our stdio */
	bool quiet;
};

/* Bring every container of p up; returns 0 once all run with their network
 * configured. On failure everything made so far is removed again. With
 * interactive, *init_pid receives the (single) container's pid 1. */
int runtime_up(const struct project *p, const struct up_opts *o, pid_t *init_pid, struct ce_error *err);

/* Stop and remove everything the journal of `project` lists. grace_ms:
 * how long SIGTERM may take before SIGKILL. Nothing up is success. */
int runtime_down(const char *project, int grace_ms, struct ce_error *err);

/* Print containers (ps columns, see cengine(1)) of one project or of all (NULL). */
int runtime_ps(const char *project, FILE *out, struct ce_error *err);

/* Run argv inside container `name` of p; returns its exit status (0..255)
 * or -1 with err set when it could not be started. */
struct exec_opts;	/* runtime/ops.h: -it, -e, -w; NULL for none */
int runtime_exec(const struct project *p, const char *name, char **argv, struct exec_opts *o,
		 struct ce_error *err);

/* The environment a container's processes get: PATH, HOME, HOSTNAME, TERM
 * (when attached) and the container's env list. Caller frees with free(). */
char **runtime_environ(const struct container *c, bool with_term);
