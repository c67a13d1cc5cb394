/* SPDX-License-Identifier: MIT */
/* rootmount.c: in the new container's mount namespace: the overlay of its lower tree with a private tmpfs for writes. */
#include "runtime/inside/rootmount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/inside/fdmount.h"
#include "runtime/inside/hostview.h"
#include "util/cleanup.h"

/* "mode=M" and, with a size, ",size=N": a runaway writer gets ENOSPC there, not the host's RAM. */
static const char *tmpfs_opts(char *buf, size_t len, const char *mode, uint64_t size)
{
	snprintf(buf, len, size ? "mode=%s,size=%llu" : "mode=%s", mode, (unsigned long long)size);
	return buf;
}

/* The private tmpfs, mounted on DIR itself in this mount namespace (the host's DIR, its log and exit
 * files, are untouched) and entered: upper/ and work/ for the overlay, root/ where it is mounted and
 * lower/ where an idmapped lower tree is attached, relative to it from here. Mount points of this
 * namespace only: no inode of the host's disk per container, none to delete. */
static int mount_rw_tmpfs(const char *dir, uint64_t size, struct ce_error *err)
{
	static const char *const sub[] = { "upper", "work", "root", "lower" };
	_cleanup_close_ int target = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), mnt = -1;
	char opts[64];

	if (target < 0)
		return ce_error_set(err, errno, "open %s", dir);
	mnt = fdmount_fs(target, dir, "tmpfs", "rw", tmpfs_opts(opts, sizeof(opts), "0755", size),
			 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, err);
	if (mnt < 0)
		return -1;
	if (fchdir(mnt) < 0)
		return ce_error_set(err, errno, "enter it");
	for (size_t i = 0; i < sizeof(sub) / sizeof(*sub); i++)
		if (mkdir(sub[i], 0755) < 0)
			return ce_error_set(err, errno, "mkdir %s", sub[i]);
	return 0;
}

int rootfs_mount(const char *dir, const char *lower, int lower_fd, bool host, bool userns, uint64_t size,
		 struct ce_error *err)
{
	char opts[2048];
	int fd;

	/* The writable layer is a tmpfs of the container's own mount namespace:
	 * it goes away with the container, costs no disk inodes on the host,
	 * is charged to the container's memory cgroup, and (for "host") cannot
	 * sit inside its own lower layer. */
	if (mount_rw_tmpfs(dir, size, err) < 0)
		return ce_error_wrap(err, "private tmpfs for the container's writes");
	if (lower_fd >= 0) {
		if (syscall(SYS_move_mount, lower_fd, "", AT_FDCWD, "lower", MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return ce_error_set(err, errno, "attach the idmapped rootfs");
		close(lower_fd);
		lower = "lower";
	}
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=upper,workdir=work%s", lower, userns ? ",userxattr" : "");
	if (mount("overlay", "root", "overlay", MS_NODEV, opts) < 0)
		return ce_error_set(err, errno, "overlay");
	/* from here on the tree is reached only through this fd, and resolved beneath it */
	fd = open("root", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ce_error_set(err, errno, "open the merged root");
	if (host && hostview_apply(fd, size, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
