/* SPDX-License-Identifier: MIT */
/* fixture.h: what the child puts into the container's tree from its fixture keys: tmpfs, binds, devices, files, sysctls, user, workdir. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/project.h"
#include "util/error.h"

/* Every function below resolves each path beneath the fd ROOT (or PROC: the container's fresh /proc)
 * without a symlink, "." or ".." (resolve.h) and makes a missing mount point in the writable layer.
 * 0, or -1 with err naming the key and the path. */

/* mounts.c: each tmpfs, then each bind (the fds bindfds_open made on the host, in c's order), the
 * shallowest path first, so that a bind may lie in a tmpfs. */
int fixture_tmpfs(int root, const struct container *c, struct ce_error *err);
int fixture_binds(int root, const struct container *c, const int *fds, struct ce_error *err);
/* A non-directory mount point at PATH (an empty file made when missing), as an O_PATH fd; a symlink there is refused. */
int fixture_file_target(int root, const char *path, struct ce_error *err);

/* mounts.c: each device of c from NODES (a directory fd of the small tmpfs the host made, where node i
 * is "dev<i>", devnodes.h) bound at its path in the container's /dev. */
int fixture_devices(int root, const struct container *c, int nodes, struct ce_error *err);

/* files.c: each `files` entry written into the writable layer (whatever is at its path is replaced,
 * never followed); sysctls.c: each sysctl written under PROC's sys/. */
int fixture_files(int root, const struct container *c, struct ce_error *err);
int fixture_sysctls(int proc, const struct container *c, struct ce_error *err);

#define RUN_USER_GROUPS_MAX 64
#define RUN_USER_HOME_MAX 256

/* Who the command runs as, and where. */
struct run_user {
	bool set;			/* false: root, in the user namespace's root when there is one */
	uid_t uid;
	gid_t gid;
	size_t n_groups;
	gid_t groups[RUN_USER_GROUPS_MAX];	/* supplementary groups, from the container's /etc/group */
	char home[RUN_USER_HOME_MAX + 5];	/* "HOME=/home/app", from its /etc/passwd; "" when none */
	const char *workdir;		/* the command's working directory; NULL: / */
};

/* user.c: c's user (and workdir, made when missing) looked up in the container's own /etc/passwd and
 * /etc/group beneath ROOT: untrusted files, read whole (at most 1 MiB each) and parsed here. */
int fixture_user(int root, const struct container *c, struct run_user *u, struct ce_error *err);
/* In the command's process before exec: groups, gid, uid, then the working directory. 0, or -1 with
 * a message in msg. */
int fixture_user_apply(const struct run_user *u, char *msg, size_t len);
