/* SPDX-License-Identifier: MIT */
/* masks.h: hide kernel interfaces in the container's /proc and /sys, make the rest read-only. */
#pragma once

/* In the container's mount namespace, after /proc and /sys are mounted.
 * 0, or -1 with errno set and *what naming the path that failed. */
int masks_apply(const char **what);
