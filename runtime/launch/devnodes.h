/* SPDX-License-Identifier: MIT */
/* devnodes.h: the nodes of a container's `devices`, made by the host side (a user namespace can make none). */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "model/project.h"
#include "util/error.h"

#define DEVNODES_NAME "dev"	/* node i of the container's devices is DEVNODES_NAME "i" in the tmpfs */

/* How many devices c has. */
size_t devnodes_count(const struct container *c);
/* In the directory DIR (the container's own small tmpfs that also holds its tty node): one node per
 * device of c, checked against the host's node (there, and the table's character device), with the
 * host's permission bits, owned by uid:gid (the container's root). 0, or -1 with err set. */
int devnodes_make(int dir, const struct container *c, uid_t uid, gid_t gid, struct ce_error *err);
