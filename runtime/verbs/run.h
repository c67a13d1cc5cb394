/* SPDX-License-Identifier: MIT */
/* run.h: `cengine run`: one attached container from flags, removed when its command exits. */
#pragma once

#include <stdbool.h>

/* What the flags of `cengine run` say (cli/run.c reads them from argv; numbers are checked there). */
struct run_opts {
	const char *rootfs, *name, *ip;
	const char *image;	/* instead of rootfs: an image reference (cengine.conf(5) image) */
	const char *memory;	/* NULL: no limit; "50M" as in cengine.conf(5), checked by the parser */
	/* rootfs, name, ip and memory become string settings of a config built in memory
	 * (parser_load_config): whatever they hold, they are that key's value */
	double cpu;		/* with has_cpu */
	long pids;		/* with has_pids */
	bool has_cpu, has_pids;
	bool tty;		/* -t: a pty when stdin is a terminal */
	char **command;		/* NULL-terminated, not empty; NULL with an image: the image's command */
};

/* Bring the container up attached to our stdio, wait for its command, take it down again.
 * Returns the command's exit status (128 + signal when killed), 1 when it could not be run,
 * 2 when the flags do not make a valid project (one line "cengine: run: --FLAG: why"). An image
 * missing from the store is imported first. */
int runtime_run(const struct run_opts *r);
