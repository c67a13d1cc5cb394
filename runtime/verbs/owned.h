/* SPDX-License-Identifier: MIT */
/* owned.h: what proves to `down` that an object a journal line names is the project's own. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "state/journal.h"
#include "util/error.h"

/*
 * A journal is written by cengine alone, but down trusts none of its lines to
 * name something of this project: each object must be under the project's own
 * name (cgroup, state dir, nft table), be in the project's cgroup (process) or
 * carry its mark (link: net/own.c; nft table: net/nat.c). A line that names
 * anything else is left alone, and is an error (a corrupted or forged journal).
 */

/* err: "journal line N `TEXT`: WHAT is not this project's: left alone" (code EPERM,
 * the text in printable ASCII). Returns -1. */
int owned_refuse(const struct journal_entry *e, const char *what, struct ce_error *err);

/* A name cengine makes a path component of (a container's): no '/', not "." or "..". */
bool owned_name(const char *s);

/* Is path `own` itself (when may_be_own) or `own`/<owned_name>? */
bool owned_path(const char *path, const char *own, bool may_be_own);

/* Is the process the project's container `container`? 1 in its cgroup
 * (.../cengine/<project>/<container> on any hierarchy); or, on cgroup v1 where
 * the child joins its cgroups itself, a child that has not yet: still cengine's
 * executable (it runs nothing else before it is released), in a pid namespace
 * of its own, in no cengine cgroup. 0: nothing to stop (a zombie or a kernel
 * thread: no executable). -1: someone else's. */
int owned_process(pid_t pid, const char *project, const char *container);
