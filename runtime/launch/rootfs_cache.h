/* SPDX-License-Identifier: MIT */
/* rootfs_cache.h: the cache of unpacked tarball rootfs trees: where it is, its lock, stale unpacks, prune. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/error.h"

#define ROOTFS_CACHE_DEFAULT "/var/lib/cengine/rootfs"
#define ROOTFS_CACHE_MAX 256		/* the cache's path: trees under it are overlay lower dirs */
#define ROOTFS_UNPACK_PREFIX ".unpack-"	/* a tree being unpacked: .unpack-<pid>-<starttime>-XXXXXX */
#define ROOTFS_MEMO_PREFIX ".stat-"	/* a tarball's identity -> the hash of its contents (a symlink) */

/* The cache dir: CENGINE_ROOTFS_CACHE, else ROOTFS_CACHE_DEFAULT. NULL with err when the variable
 * is not an absolute path usable in overlay options (no ',' ':' '\\' or blank, < 256 bytes). */
const char *rootfs_cache_dir(struct ce_error *err);

/* Make the cache dir and lock it (flock on <cache>/.lock): shared while an `up` looks a tree up,
 * unpacks it and journals that it uses it; exclusive while prune decides what no one uses.
 * Returns the lock's fd, or -1 with err set. */
int rootfs_cache_lock(const char *cache, bool exclusive, struct ce_error *err);

/* The name a temporary tree of this process starts with: ".unpack-<pid>-<starttime>-". */
void rootfs_cache_temp_prefix(char *buf, size_t len);

/* Remove the temporary trees of cengines that are gone (killed during an unpack). Best effort. */
void rootfs_cache_clean_stale(const char *cache);

/* Remove (dry_run: only list) every tree of the cache that none of the n trees in use is, every
 * temporary tree whose cengine is gone, and every remembered hash whose tree is gone. One line
 * per tree to out ("removed PATH (SIZE)"); the disk space freed in *freed. 0, or -1 with err set. */
int rootfs_cache_prune(const char *cache, char *const *in_use, size_t n, bool dry_run, FILE *out, uint64_t *freed,
		       struct ce_error *err);
