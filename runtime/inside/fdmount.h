/* SPDX-License-Identifier: MIT */
/* fdmount.h: mounts made and attached by file descriptor (fsopen, fsmount, open_tree, move_mount): no path is looked up again. */
#pragma once

#include <stdbool.h>

#include "util/error.h"

/* A new file system of TYPE, its source name SOURCE, options OPTS ("key=value,flag,...", or NULL)
 * and mount attributes ATTRS (MOUNT_ATTR_*), not attached anywhere: its mount fd, or -1 with err set. */
int fdmount_new(const char *type, const char *source, const char *opts, unsigned int attrs, struct ce_error *err);

/* A detached copy of the mount at the object FD (with its submounts when REC) with ATTRS added:
 * the bind mount of FD's file or directory. Its mount fd, or -1 with err set. */
int fdmount_clone(int fd, bool rec, unsigned int attrs, struct ce_error *err);

/* Attach the detached mount MNT on the object TARGET (an fd, usually O_PATH). NAME is the target as
 * the container sees it, for the message. 0, or -1 with err set. */
int fdmount_attach(int mnt, int target, const char *name, struct ce_error *err);

/* fdmount_new, then attached on TARGET: the new mount's fd (its root), or -1 with err set. */
int fdmount_fs(int target, const char *name, const char *type, const char *source, const char *opts,
	       unsigned int attrs, struct ce_error *err);
