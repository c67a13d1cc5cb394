/* SPDX-License-Identifier: MIT */
/* userns.h: the container's user namespace: id ranges, uid_map/gid_map, the idmapped rootfs mount. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/project.h"
#include "util/error.h"

#define USERNS_DEFAULT_BASE 100000u
#define USERNS_DEFAULT_COUNT 65536u

struct idmap {
	bool on;
	uint32_t uid, gid, count;	/* container ids 0..count-1 are host uid.., gid.. */
};

/* Resolve a container's setting: off, or its range (default: the `root`
 * entry of /etc/subuid and /etc/subgid, else 100000:65536). */
void userns_resolve(const struct security *sec, struct idmap *m);
/* In the parent, after clone and before release: write /proc/PID/{uid,gid}_map. */
int userns_write_maps(pid_t pid, const struct idmap *m, struct ce_error *err);
/* In the parent: a detached clone of path, idmapped through PID's user namespace. */
int userns_idmapped_tree(pid_t pid, const char *path, struct ce_error *err);
/* Is PID in another user namespace than ours? */
bool userns_differs(pid_t pid);
