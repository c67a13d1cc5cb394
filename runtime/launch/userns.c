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

/* The id files the default range is chosen from, in the order of enum id_file. */
static const char *const id_files[USERNS_ID_FILES] = { "/etc/subuid", "/etc/subgid", "/etc/passwd", "/etc/group" };

enum id_file { SUBUID, SUBGID, PASSWD, GROUP };

/* Ids above this are no one's range ((uid_t)-2 is "nfsnobody" on old systems, -1 is invalid). */
#define ID_TOP 0xfffeffffULL

/* Field `i` (0-based) of a ':'-separated line as a number, or -1. */
static long long field(const char *line, int i)
{
	char *end;
	unsigned long long v;

	for (; i > 0 && line; i--)
		line = strchr(line, ':') ? strchr(line, ':') + 1 : NULL;
	if (!line || *line < '0' || *line > '9')
		return -1;
	v = strtoull(line, &end, 10);
	return (*end == ':' || *end == '\n' || *end == '\0') && v <= ID_TOP ? (long long)v : -1;
}

/* One line of an id file: the end of the ids it hands out (highest + 1, 0 for none); for
 * subuid and subgid also the range of root's entry ("root:B:N" or "0:B:N"). */
static unsigned long long line_top(enum id_file kind, const char *line, uint32_t *root_base, uint32_t *root_count)
{
	long long a = field(line, kind == SUBUID || kind == SUBGID ? 1 : 2), b = field(line, kind == PASSWD ? 3 : 2);

	if (kind == GROUP)
		return a >= 0 ? (unsigned long long)a + 1 : 0;
	if (kind == PASSWD)
		return a < 0 && b < 0 ? 0 : (unsigned long long)(a > b ? a : b) + 1;
	if (a < 0 || b <= 0)
		return 0;
	if ((!strncmp(line, "root:", 5) || !strncmp(line, "0:", 2)) && a > 0 && !*root_base) {
		*root_base = (uint32_t)a;
		*root_count = b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
	}
	return (unsigned long long)a + (unsigned long long)b;
}

/* The end of every id a file hands out (0 for a missing file); root's entry as line_top. */
static unsigned long long file_top(enum id_file kind, const char *path, uint32_t *root_base, uint32_t *root_count)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	unsigned long long top = 0, t;
	char line[1024];

	while (f && fgets(line, sizeof(line), f))
		if ((t = line_top(kind, line, root_base, root_count)) > top)
			top = t;
	return top;
}

int userns_default_range_from(const char *const files[USERNS_ID_FILES], struct idmap *def, struct ce_error *err)
{
	uint32_t base[2] = { 0 }, count[2] = { USERNS_DEFAULT_COUNT, USERNS_DEFAULT_COUNT };
	unsigned long long top = USERNS_DEFAULT_COUNT, free_base;	/* 0..65535: users, nobody, always taken */

	for (int k = SUBUID; k <= GROUP; k++) {	/* passwd and group lines have no root range to keep */
		unsigned long long t = file_top((enum id_file)k, files[k], &base[k == SUBGID], &count[k == SUBGID]);

		top = t > top ? t : top;
	}
	free_base = (top + USERNS_DEFAULT_COUNT - 1) / USERNS_DEFAULT_COUNT * USERNS_DEFAULT_COUNT;
	if ((!base[0] || !base[1]) && free_base + USERNS_DEFAULT_COUNT > ID_TOP + 1)
		return ce_error_set(err, ERANGE, "no free range of %u ids above those /etc/subuid, /etc/subgid, /etc/passwd "
				    "and /etc/group hand out; give root a range in /etc/subuid and /etc/subgid",
				    USERNS_DEFAULT_COUNT);
	*def = (struct idmap){ .on = true, .uid = base[0] ? base[0] : (uint32_t)free_base,
			       .gid = base[1] ? base[1] : (uint32_t)free_base, .count = USERNS_DEFAULT_COUNT };
	if (base[0] && count[0] < def->count)
		def->count = count[0];
	if (base[1] && count[1] < def->count)
		def->count = count[1];
	return 0;
}

int userns_default_range(struct idmap *def, struct ce_error *err)
{
	return userns_default_range_from(id_files, def, err);
}

void userns_resolve(const struct security *sec, const struct idmap *def, struct idmap *m)
{
	m->on = sec->userns != 0;
	m->uid = sec->uid_base ? sec->uid_base : def->uid;
	m->gid = sec->gid_base ? sec->gid_base : def->gid;
	m->count = sec->id_count ? sec->id_count : def->count;
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
