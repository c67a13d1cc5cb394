/* SPDX-License-Identifier: MIT */
/* hostview.h: rootfs "host": what of the host's own tree a container sees (its programs and what any user of the host may read in /etc). */
#pragma once

#include <stdint.h>

#include "util/error.h"

/* On the merged root ROOT (an fd) of a container whose lower layer is the host's /, before pivot_root:
 * /usr, /bin, /sbin, /lib* and /etc stay (symlinks at the top stay too: they resolve inside);
 * /etc entries that the host's "other" users cannot read, and its secrets by name, are hidden;
 * /run, /tmp, /root and /var are fresh writable tmpfs (/var with the host's first-level names, empty);
 * every other top-level directory is an empty read-only tmpfs and every other top-level file /dev/null.
 * /proc, /sys and /dev are left to the caller. 0, or -1 with err set. */
int hostview_apply(int root, uint64_t size, struct ce_error *err);
