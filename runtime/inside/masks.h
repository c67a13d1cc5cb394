/* SPDX-License-Identifier: MIT */
/* masks.h: hide kernel interfaces in the container's /proc and /sys, make the rest read-only. */
#pragma once

#include "util/error.h"

/* Where the masks go: fds of the container's root (for its /dev/null) and of the roots of the fresh
 * /proc and /sys mounts, as fdmount_fs returned them. */
struct masks_base {
	int root, proc, sys;
};

/* Each path is resolved beneath the fresh mount it names, without a symlink and without leaving that
 * mount; one the kernel does not have there is skipped, any other failure is an error (fails closed).
 * 0, or -1 with err naming the path. */
int masks_apply(const struct masks_base *b, struct ce_error *err);
