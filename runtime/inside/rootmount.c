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

#include "runtime/inside/hostview.h"

/* "mode=M" and, with a size, ",size=N": a runaway writer gets ENOSPC there, not the host's RAM. */
static const char *tmpfs_opts(char *buf, size_t len, const char *mode, uint64_t size)
{
	snprintf(buf, len, size ? "mode=%s,size=%llu" : "mode=%s", mode, (unsigned long long)size);
	return buf;
}

static int mount_rw_tmpfs(const char *dir, uint64_t size, char *upper, char *work, size_t len)
{
	char rw[384], opts[64];

	snprintf(rw, sizeof(rw), "%s/rw", dir);
	if (mount("rw", rw, "tmpfs", MS_NOSUID | MS_NODEV, tmpfs_opts(opts, sizeof(opts), "0755", size)) < 0)
		return -1;
	snprintf(upper, len, "%s/upper", rw);
	snprintf(work, len, "%s/work", rw);
	if (mkdir(upper, 0755) < 0 || mkdir(work, 0755) < 0)
		return -1;
	return 0;
}

int rootfs_mount(const char *dir, const char *lower, int lower_fd, bool host, bool userns, uint64_t size,
		 struct ce_error *err)
{
	char opts[2048], upper[512], work[512], root[512], attached[512];
	int fd;

	snprintf(root, sizeof(root), "%s/root", dir);
	if (lower_fd >= 0) {
		snprintf(attached, sizeof(attached), "%s/lower", dir);
		if (syscall(SYS_move_mount, lower_fd, "", AT_FDCWD, attached, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return ce_error_set(err, errno, "attach the idmapped rootfs");
		close(lower_fd);
		lower = attached;
	}
	/* The writable layer is a tmpfs of the container's own mount namespace:
	 * it goes away with the container, costs no disk inodes on the host,
	 * is charged to the container's memory cgroup, and (for "host") cannot
	 * sit inside its own lower layer. */
	if (mount_rw_tmpfs(dir, size, upper, work, sizeof(upper)) < 0)
		return ce_error_set(err, errno, "private tmpfs for the container's writes");
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s%s", lower, upper, work,
		 userns ? ",userxattr" : "");
	if (mount("overlay", root, "overlay", MS_NODEV, opts) < 0)
		return ce_error_set(err, errno, "overlay");
	/* from here on the tree is reached only through this fd, and resolved beneath it */
	fd = open(root, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ce_error_set(err, errno, "open the merged root");
	if (host && hostview_apply(fd, size, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
