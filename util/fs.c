/* SPDX-License-Identifier: MIT */
/* fs.c: file-system helpers: remove a tree without crossing into other mounts or following links, file flags too; its size. */
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Clear the immutable and append-only flags of a file or directory (a tree unpacked by an older
 * cengine kept them from its tarball): 0 when it had one to clear. */
static int clear_flags(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), flags = 0, rc = -1;

	if (fd < 0)
		return -1;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && flags & (FS_IMMUTABLE_FL | FS_APPEND_FL)) {
		flags &= ~(FS_IMMUTABLE_FL | FS_APPEND_FL);
		rc = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
	return rc;
}

static int remove_one(const char *path, bool dir)
{
	return dir ? rmdir(path) : unlink(path);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char parent[PATH_MAX];
	bool dir = flag == FTW_DP, cleared = false;
	int rc;

	(void)ftw;
	rc = remove_one(path, dir);
	if (rc < 0 && errno == EPERM) {	/* a flag on it (opened only if a file or dir) or on its dir */
		snprintf(parent, sizeof(parent), "%s", path);
		if (S_ISREG(st->st_mode) || dir)
			cleared = clear_flags(path) == 0;
		cleared |= clear_flags(dirname(parent)) == 0;
		if (cleared)
			rc = remove_one(path, dir);
	}
	return rc < 0 && errno != ENOENT ? -1 : 0;
}

int fs_remove_tree(const char *path)
{
	if (nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

static uint64_t counted;

static int count_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path, (void)flag, (void)ftw;
	counted += (uint64_t)st->st_blocks * 512;
	return 0;
}

uint64_t fs_tree_bytes(const char *path)
{
	counted = 0;
	nftw(path, count_entry, 32, FTW_PHYS | FTW_MOUNT);
	return counted;
}

void fs_human_size(uint64_t b, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	double v = (double)b;
	int u = -1;

	while (v >= 1024 && u < 3)
		v /= 1024, u++;
	if (u < 0)
		snprintf(buf, len, "%llu B", (unsigned long long)b);
	else
		snprintf(buf, len, "%.1f %ciB", v, units[u]);
}

void fs_prune_path(const char *path, bool dry_run, FILE *out, uint64_t *freed, struct ce_error *err)
{
	uint64_t bytes = fs_tree_bytes(path);
	char size[32];

	fs_human_size(bytes, size, sizeof(size));
	if (!dry_run && fs_remove_tree(path) < 0) {
		if (!err->code)
			ce_error_set(err, errno, "remove %s", path);
		return;
	}
	fprintf(out, "%s %s (%s)\n", dry_run ? "would remove" : "removed", path, size);
	*freed += bytes;
}
