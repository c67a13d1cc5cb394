/* SPDX-License-Identifier: MIT */
/* resolve.h: paths inside a container's root tree, resolved by fd one name at a time: never through a symlink, never out of the tree. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* Every PATH below is taken relative to the directory fd BASE, leading slashes or not ("/proc",
 * "dev/pts"), and named in errors as "/PATH" (where the container will see it). No component may be
 * a symbolic link (also not a magic link of /proc), "." or "..". Each returns an O_PATH fd (close-on-exec)
 * or -1 with errno and err set. */

/* The directory PATH, each missing component made (mode 0755) when MAKE. */
int resolve_dir(int base, const char *path, bool make, struct ce_error *err);

/* The object PATH itself, whatever its type (a symlink as the last component is returned, not followed:
 * check the type); SAME_MOUNT: it must be on BASE's own mount. A missing PATH is ENOENT, err set too. */
int resolve_object(int base, const char *path, bool same_mount, struct ce_error *err);

/* Replace the file PATH by a new regular file (mode 0644) holding TEXT: whatever non-directory is there
 * (a symlink too) is removed, never followed; its directory is made where missing. 0 or -1. */
int resolve_write_file(int base, const char *path, const char *text, struct ce_error *err);

/* The same with LEN bytes of DATA and the permission bits MODE (exactly: no umask). */
int resolve_write_data(int base, const char *path, const char *data, size_t len, mode_t mode, struct ce_error *err);

/* Open the file PATH with FLAGS (O_RDONLY, O_WRONLY...; a last symlink is refused, not followed); when
 * MAKE, its directory is made where missing and a missing file is created empty (mode 0644). An fd, or -1. */
int resolve_open(int base, const char *path, int flags, bool make, struct ce_error *err);
