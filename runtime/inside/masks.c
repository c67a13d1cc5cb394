/* SPDX-License-Identifier: MIT */
/* masks.c: masked paths (files under /dev/null, dirs under an empty read-only tmpfs) and read-only /proc parts, by fd, failing closed. */
#include "runtime/inside/masks.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runtime/inside/fdmount.h"
#include "runtime/inside/resolve.h"
#include "util/cleanup.h"

/* Kept in step with man/cengine.conf.5. */
static const char *const masked[] = {
	"/proc/kcore", "/proc/keys", "/proc/key-users", "/proc/timer_list", "/proc/sysrq-trigger",
	"/proc/latency_stats", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/proc/acpi",
	"/sys/firmware", "/proc/kmsg", "/proc/config.gz", "/proc/kallsyms",
};

static const char *const read_only[] = { "/proc/sys", "/proc/irq", "/proc/bus", "/proc/fs" };

#define HIDDEN_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* The target beneath the fresh /proc or /sys mount it names, never on another mount: fd, or -1.
 * Absent there: -2 (the kernel has no such file: nothing to hide). */
static int target(const struct masks_base *b, const char *path, struct ce_error *err)
{
	int base = !strncmp(path, "/proc/", 6) ? b->proc : b->sys;
	int fd = resolve_object(base, strchr(path + 1, '/') + 1, true, err);

	if (fd < 0 && errno == ENOENT)
		return -2;
	return fd;
}

/* /dev/null of the container's /dev, checked to be the null device. */
static int open_null(int root, struct ce_error *err)
{
	_cleanup_close_ int fd = resolve_object(root, "dev/null", false, err);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return ce_error_wrap(err, "masks");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return ce_error_set(err, 0, "masks: /dev/null is not the null device");
	return steal_fd(&fd);
}

static int hide(int fd, int null, const char *path, struct ce_error *err)
{
	_cleanup_close_ int mnt = -1;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return ce_error_set(err, errno, "%s", path);
	if (S_ISLNK(st.st_mode))
		return ce_error_set(err, 0, "%s is a symbolic link (refused)", path);
	if (S_ISDIR(st.st_mode))
		mnt = fdmount_new("tmpfs", "masked", "size=0,mode=0500", HIDDEN_ATTRS, err);
	else
		mnt = fdmount_clone(null, false, 0, err);
	if (mnt < 0 || fdmount_attach(mnt, fd, path, err) < 0)
		return -1;
	return 0;
}

static int make_read_only(int fd, const char *path, struct ce_error *err)
{
	_cleanup_close_ int mnt = fdmount_clone(fd, true, HIDDEN_ATTRS, err);

	if (mnt < 0 || fdmount_attach(mnt, fd, path, err) < 0)
		return -1;
	return 0;
}

/* One path: -2 (absent), or the result of apply. */
static int each(const struct masks_base *b, const char *path, int null, struct ce_error *err)
{
	_cleanup_close_ int fd = target(b, path, err);

	if (fd == -2)
		return 0;
	if (fd < 0)
		return -1;
	return null >= 0 ? hide(fd, null, path, err) : make_read_only(fd, path, err);
}

int masks_apply(const struct masks_base *b, struct ce_error *err)
{
	_cleanup_close_ int null = open_null(b->root, err);

	if (null < 0)
		return -1;
	for (size_t i = 0; i < sizeof(read_only) / sizeof(*read_only); i++)
		if (each(b, read_only[i], -1, err) < 0)
			return ce_error_wrap(err, "read-only %s", read_only[i]);
	for (size_t i = 0; i < sizeof(masked) / sizeof(*masked); i++)
		if (each(b, masked[i], null, err) < 0)
			return ce_error_wrap(err, "mask %s", masked[i]);
	return 0;
}
