/* SPDX-License-Identifier: MIT */
/* masks.c: masked paths (files under /dev/null, dirs under an empty read-only tmpfs) and read-only /proc parts. */
#include "runtime/inside/masks.h"

#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>

/* Kept in step with man/cengine.conf.5. */
static const char *const masked[] = {
	"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sysrq-trigger", "/proc/latency_stats",
	"/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/proc/acpi", "/sys/firmware",
	"/proc/kmsg", "/proc/config.gz", "/proc/kallsyms",
};

static const char *const read_only[] = { "/proc/sys", "/proc/irq", "/proc/bus", "/proc/fs" };

static int mask(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode))
		return mount("masked", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=0500");
	return mount("/dev/null", path, NULL, MS_BIND, NULL);
}

static int make_read_only(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : -1;
	return mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

int masks_apply(const char **what)
{
	for (size_t i = 0; i < sizeof(read_only) / sizeof(*read_only); i++)
		if (make_read_only(read_only[i]) < 0)
			return *what = read_only[i], -1;
	for (size_t i = 0; i < sizeof(masked) / sizeof(*masked); i++)
		if (mask(masked[i]) < 0)
			return *what = masked[i], -1;
	return 0;
}
