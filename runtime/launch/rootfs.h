/* SPDX-License-Identifier: MIT */
/* rootfs.h: where a container's read-only lower tree is: a directory, an unpacked tarball, or the host's /. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/project.h"
#include "runtime/launch/userns.h"
#include "util/error.h"

/* What one unpack may write: bytes of file data and extended attributes, and entries. */
struct rootfs_caps {
	uint64_t max_size;
	uint64_t max_entries;
};

/* Put the lower directory of c into out: the directory itself, "/" for host,
 * <cache>/<sha256 of the tarball> (unpacked now, within c's caps, if not
 * cached yet; rootfs_cache.h), or an image's tree in the store (image.h; made by
 * runtime_images_prepare). For a tarball or an image *lock is the cache's or the
 * store's shared lock: close it once the tree's use is journalled (prune keeps
 * it then); else -1. */
int rootfs_prepare(const struct container *c, char *out, size_t len, int *lock, struct ce_error *err);
/* Unpack tarball into cache once (temporary trees of cengines that are gone
 * are removed first); path of the tree in out. An archive that would write
 * more than caps allow is refused while it is written, and nothing it wrote is
 * kept. The caller holds the cache's lock. */
int rootfs_unpack(const char *tarball, const char *cache, const struct rootfs_caps *caps, char *out, size_t len,
		  struct ce_error *err);
/* In the parent: the container's state dir as its child needs it (a mount point for its private
 * tmpfs: rootmount.h); with a user namespace, reachable by its root (0711). */
int rootfs_state_dirs(const char *dir, const struct idmap *m, struct ce_error *err);
