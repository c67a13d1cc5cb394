/* SPDX-License-Identifier: MIT */
/* rootfs.h: where a container's read-only lower tree is: a directory, an unpacked tarball, or the host's /. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "model/project.h"
#include "runtime/launch/userns.h"
#include "util/error.h"

#define ROOTFS_CACHE "/var/lib/cengine/rootfs"

/* Put the lower directory of c into out: the directory itself, "/" for host,
 * or ROOTFS_CACHE/<sha256 of the tarball> (unpacked now if not cached yet). */
int rootfs_prepare(const struct container *c, char *out, size_t len, struct ce_error *err);
/* Unpack tarball into ROOTFS_CACHE (or the given cache dir), once; path of the tree in out. */
int rootfs_unpack(const char *tarball, const char *cache, char *out, size_t len, struct ce_error *err);
/* In the parent: lower/ and rw/ beside root/ in the container's
 * state dir; with a user namespace, owned by its root and reachable by it. */
int rootfs_state_dirs(const char *dir, const struct idmap *m, struct ce_error *err);
