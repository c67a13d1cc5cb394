/* SPDX-License-Identifier: MIT */
/* userns.h: the container's user namespace: id ranges, uid_map/gid_map, the idmapped rootfs mount. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/project.h"
#include "util/error.h"

#define USERNS_DEFAULT_COUNT 65536u	/* ids a container maps; the default range is aligned to it */
#define USERNS_ID_FILES 4		/* /etc/subuid, /etc/subgid, /etc/passwd, /etc/group */

struct idmap {
	bool on;
	uint32_t uid, gid, count;	/* container ids 0..count-1 are host uid.., gid.. */
};

/* The range containers map to when their file names none. The `root` (or `0`) entry of
 * /etc/subuid and of /etc/subgid when there is one: ids the administrator gave root. Else the
 * lowest USERNS_DEFAULT_COUNT ids, aligned to that count, above every id the host hands out: the
 * ranges of /etc/subuid and /etc/subgid and the uids and gids of /etc/passwd and /etc/group
 * (not 100000, which useradd gives its first user: that user could signal and ptrace every
 * container's processes). -1 with err set when no such range fits below 2^32. */
int userns_default_range(struct idmap *def, struct ce_error *err);
/* The same from these four files (in the order above; a missing one is empty), for tests. */
int userns_default_range_from(const char *const files[USERNS_ID_FILES], struct idmap *def, struct ce_error *err);
/* A container's map: off (userns = false), or its own uid, gid, count where the file sets them, else def's. */
void userns_resolve(const struct security *sec, const struct idmap *def, struct idmap *m);
/* In the parent, after clone and before release: write /proc/PID/{uid,gid}_map. */
int userns_write_maps(pid_t pid, const struct idmap *m, struct ce_error *err);
/* In the parent: a detached clone of path, idmapped through PID's user namespace. */
int userns_idmapped_tree(pid_t pid, const char *path, struct ce_error *err);
/* Is PID in another user namespace than ours? */
bool userns_differs(pid_t pid);
