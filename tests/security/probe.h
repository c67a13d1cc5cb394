/* SPDX-License-Identifier: MIT */
/* probe.h: what the escape suite's static probes share: errno by name, and one loop that runs attempts from a table. */
#pragma once

#include <errno.h>
#include <stddef.h>

/* "EPERM", "ENOENT", ...: errno as its name (what the tests assert); "errno%d" for one glibc cannot name. */
const char *probe_errno(int e);

/* The result of an attempt that is one call: how it failed, or ESCAPED when it did not. */
#define PROBE_FAILED(call) ((call) < 0 ? probe_errno(errno) : "ESCAPED")

#define PROBE_N(table) (sizeof(table) / sizeof(*(table)))

/* One attempt: its name on the command line, and what tries it and tells how it went. */
struct probe_attempt {
	const char *name;
	const char *(*fn)(void);
};

/* Runs the attempt called which (every one for "all"), each printing one line "NAME RESULT" to
 * stdout, flushed at once (a probe that dies halfway has told what it did): how many ran. */
size_t probe_run(const struct probe_attempt *t, size_t n, const char *which);
