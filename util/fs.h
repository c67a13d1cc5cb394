/* SPDX-License-Identifier: MIT */
/* fs.h: file-system helpers: remove a tree without crossing into other mounts or following links; open a resolved path without following one. */
#pragma once

/* rm -rf path, staying on its file system and never following a symlink;
 * immutable and append-only flags in the way are cleared (root).
 * A missing path is fine. 0, or -1 with errno set. */
int fs_remove_tree(const char *path);

/* open(2) of a path that has no symbolic link in it (a realpath(3) result), with RESOLVE_NO_SYMLINKS:
 * a link swapped in since it was resolved fails (ELOOP) instead of being followed. O_CLOEXEC added. */
int fs_open_resolved(const char *path, int flags);
