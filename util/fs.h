/* SPDX-License-Identifier: MIT */
/* fs.h: file-system helpers: remove a tree without crossing into other mounts or following links; temporary names that say whose they are. */
#pragma once

/* rm -rf path, staying on its file system and never following a symlink;
 * immutable and append-only flags in the way are cleared (root).
 * A missing path is fine. 0, or -1 with errno set. */
int fs_remove_tree(const char *path);

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>
#include <sys/types.h>

#include "util/error.h"

/* A temporary file or tree is named PREFIX<pid>-<starttime>-...: whose it is, so that a later
 * cengine can tell one that a killed process left. The name a temporary of this process starts with. */
void fs_temp_prefix(const char *prefix, char *buf, size_t len);
/* Is name a temporary of PREFIX whose process is gone? A name without its owner (an older
 * cengine's) counts when ownerless_too (for prune, which holds its store exclusively). */
bool fs_temp_stale(const char *name, const char *prefix, bool ownerless_too);
/* Remove the temporaries of PREFIX in dir whose process is gone: each made ours by a rename (one
 * cengine wins it), then removed. Best effort. */
void fs_clean_stale(const char *dir, const char *prefix);
/* Disk space a tree takes (du: blocks, without following links or crossing mounts). */
uint64_t fs_tree_bytes(const char *path);
/* A size for people: "512 B", "1.5 MiB". */
void fs_human_size(uint64_t bytes, char *buf, size_t len);
/* Make dir (its parents 0755, itself 0700 when missing) and lock it: flock on DIR/.lock, shared or
 * exclusive, waited for. Returns the lock's fd, or -1 with err set. */
int fs_lock_dir(const char *dir, bool exclusive, struct ce_error *err);
/* mkdir -p: the parents 0755, path itself with mode (when missing). 0 or -1 with err set. */
int fs_mkdir_p(const char *path, mode_t mode, struct ce_error *err);
/* The directory $var names, else fallback. NULL with err when the variable is not an absolute
 * path usable in overlay options (no ',' ':' '\\' or blank, shorter than max bytes). */
const char *fs_dir_from_env(const char *var, const char *fallback, size_t max, struct ce_error *err);
/* Remove path (dry_run: only say so): "removed PATH (SIZE)" or "would remove PATH (SIZE)" to out,
 * its disk space added to *freed. On failure err is set (if it was not yet) and nothing is said. */
void fs_prune_path(const char *path, bool dry_run, FILE *out, uint64_t *freed, struct ce_error *err);
