/* SPDX-License-Identifier: MIT */
/* bindfds.h: a container's binds as detached mounts, made on the host side and handed to it at release. */
#pragma once

#include <sys/types.h>

#include "model/project.h"
#include "runtime/launch/userns.h"
#include "util/error.h"

/* Who the container's root stands for in an idmapped bind: the user who ran cengine through sudo
 * (SUDO_UID, SUDO_GID), else our own ids (root's 0 when run as root). */
void bindfds_owner(uid_t *uid, gid_t *gid);

/* One detached mount per bind of c into fds[c->fx.n_binds] (close-on-exec): a recursive clone of its
 * source, nosuid and nodev, read-only recursively for ":ro"; with the user namespace m of PID,
 * idmapped so that the owner's files are its root's (bindfds_owner; the plain map of m when the owner
 * is root). 0, or -1 with err set and no fd left open. */
int bindfds_open(const struct container *c, pid_t pid, const struct idmap *m, int *fds, struct ce_error *err);
