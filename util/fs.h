/* SPDX-License-Identifier: MIT */
/* fs.h: file-system helpers: remove a tree without crossing into other mounts or following links. */
#pragma once

/* rm -rf path, staying on its file system and never following a symlink;
 * immutable and append-only flags in the way are cleared (root).
 * A missing path is fine. 0, or -1 with errno set. */
int fs_remove_tree(const char *path);
