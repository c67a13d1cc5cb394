/* SPDX-License-Identifier: MIT */
/* fs_lock.c: a directory named by the environment, made with its parents and locked (flock on its .lock file), shared or exclusive. */
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "util/cleanup.h"

int fs_mkdir_p(const char *path, mode_t mode, struct ce_error *err)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return ce_error_set(err, errno, "mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return ce_error_set(err, errno, "mkdir %s", buf);
	return 0;
}

const char *fs_dir_from_env(const char *var, const char *fallback, size_t max, struct ce_error *err)
{
	const char *d = getenv(var);

	if (!d || !*d)
		return fallback;
	if (d[0] != '/' || strlen(d) >= max || strpbrk(d, ",:\\ \t\n")) {
		ce_error_set(err, EINVAL, "%s \"%s\": not an absolute path shorter than %zu bytes "
			     "without ',' ':' '\\' or blanks", var, d, max);
		return NULL;
	}
	return d;
}

int fs_lock_dir(const char *dir, bool exclusive, struct ce_error *err)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;

	if (fs_mkdir_p(dir, 0700, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return ce_error_set(err, errno, "open %s", path);
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			return ce_error_set(err, errno, "lock %s", path);
	return steal_fd(&fd);
}
