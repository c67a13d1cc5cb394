/* SPDX-License-Identifier: MIT */
/* userns.c: user namespace ranges from /etc/subuid, uid_map/gid_map, idmapped mounts, fd hand-off. */
#include "runtime/launch/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"

/* "root:100000:65536" in /etc/subuid or /etc/subgid: 0 and the range, or -1. */
static int sub_range(const char *file, uint32_t *base, uint32_t *count)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char line[256];
	unsigned long b, n;

	while (f && fgets(line, sizeof(line), f))
		if ((sscanf(line, "root:%lu:%lu", &b, &n) == 2 || sscanf(line, "0:%lu:%lu", &b, &n) == 2) && b && n) {
			*base = (uint32_t)b;
			*count = (uint32_t)n;
			return 0;
		}
	return -1;
}

void userns_resolve(const struct security *sec, struct idmap *m)
{
	uint32_t ucount = USERNS_DEFAULT_COUNT, gcount = USERNS_DEFAULT_COUNT;

	m->on = sec->userns != 0;
	m->uid = sec->uid_base;
	m->gid = sec->gid_base;
	m->count = sec->id_count;
	if (!m->uid && sub_range("/etc/subuid", &m->uid, &ucount) < 0)
		m->uid = USERNS_DEFAULT_BASE;
	if (!m->gid && sub_range("/etc/subgid", &m->gid, &gcount) < 0)
		m->gid = USERNS_DEFAULT_BASE;
	if (!m->count)
		m->count = USERNS_DEFAULT_COUNT < ucount && USERNS_DEFAULT_COUNT < gcount ? USERNS_DEFAULT_COUNT
			   : ucount < gcount ? ucount : gcount;
}

static int write_map(pid_t pid, const char *name, uint32_t base, uint32_t count, struct ce_error *err)
{
	char path[64], line[64];
	_cleanup_close_ int fd = -1;
	int n = snprintf(line, sizeof(line), "0 %u %u\n", base, count);

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, line, (size_t)n) != n)
		return ce_error_set(err, errno, "write %s", path);
	return 0;
}

int userns_write_maps(pid_t pid, const struct idmap *m, struct ce_error *err)
{
	if (write_map(pid, "uid_map", m->uid, m->count, err) < 0 || write_map(pid, "gid_map", m->gid, m->count, err) < 0)
		return -1;
	return 0;
}

int userns_idmapped_tree(pid_t pid, const char *path, struct ce_error *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	_cleanup_close_ int ns = -1, tree = -1;
	char nspath[64];

	snprintf(nspath, sizeof(nspath), "/proc/%d/ns/user", (int)pid);
	ns = open(nspath, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return ce_error_set(err, errno, "open %s", nspath);
	tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return ce_error_set(err, errno, "open_tree %s", path);
	attr.userns_fd = (uint64_t)ns;
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		return ce_error_set(err, 0, "rootfs %s: this kernel or file system cannot make an idmapped mount (%s); "
				    "set `userns = false` to run without a user namespace", path, strerror(errno));
	return steal_fd(&tree);
}

bool userns_differs(pid_t pid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if (stat(path, &a) < 0 || stat("/proc/self/ns/user", &b) < 0)
		return false;
	return a.st_ino != b.st_ino || a.st_dev != b.st_dev;
}
