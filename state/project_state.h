/* SPDX-License-Identifier: MIT */
/* project_state.h: what the journal says about a project's containers (for ps, exec, up). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

/* The security profile a container was started with, as `up` journals it (J_PROFILE): what exec
 * and ready apply, whatever file they are given. */
struct profile {
	uint64_t caps;		/* capability mask (model/caps.h) */
	bool seccomp;		/* the default filter loaded */
	bool userns;		/* in its own user namespace, mapped to: */
	uint32_t uid, gid, count;
};

#define PROFILE_ARGS_MAX 96	/* the arguments of a profile line, with their NUL */

/* "caps=HEX seccomp=on|off userns=UID:GID:COUNT|off": a profile line's arguments after the name. */
void profile_format(const struct profile *pr, char buf[PROFILE_ARGS_MAX]);

struct container_state {
	char name[64];
	pid_t pid;
	unsigned long long starttime;
	bool running;
	bool started;		/* its setup is done (a `started` line follows its pid line) */
	int exit_code;		/* -1 when unknown or still running */
	char addrs[256];	/* "eth0=192.168.1.2/24 eth1=..." */
	bool has_profile;	/* a readable profile line (a journal of an older cengine has none) */
	struct profile profile;
	int stop_signal;	/* its stop line: what down sends first (0: none, SIGTERM) */
	int stop_timeout_ms;	/* and how long it waits (-1: down's -t) */
};

/* Containers listed by the journal of `project`, in start order. For one that stopped, first
 * wait (at most 1 s) until the project's log keeper has written its last output and exit status
 * (it marks the log complete), unless no keeper runs. */
int project_state_load(const char *project, struct container_state **out, size_t *n, struct ce_error *err);
void project_state_count(const char *project, size_t *running, size_t *total);
/* The project's log keeper (its journal line) still runs. */
bool project_state_keeper_alive(const char *project);
const struct container_state *project_state_find(const struct container_state *v, size_t n, const char *name);
