/* SPDX-License-Identifier: MIT */
/* resolve.c: paths inside a container's root tree, resolved by fd one name at a time: never through a symlink, never out of the tree. */
#include "runtime/inside/resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fdpass.h"

#define NAME_MAX_LEN 256

/* One name beneath dir (no slash in it): RESOLVE_BENEATH keeps it there, NO_SYMLINKS refuses a symlink
 * (ELOOP) and with it every magic link; O_NOFOLLOW with O_PATH hands a trailing symlink back instead. */
static int open_name(int dir, const char *name, int flags, bool same_mount)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_PATH | O_CLOEXEC),
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
					   (same_mount ? RESOLVE_NO_XDEV : 0) };

	return (int)syscall(SYS_openat2, dir, name, &how, sizeof(how));
}

/* The next component of *p into name ("" at the end); "." and ".." are EINVAL. */
static int next_name(const char **p, char name[NAME_MAX_LEN])
{
	size_t n;

	while (**p == '/')
		(*p)++;
	n = strcspn(*p, "/");
	if (n >= NAME_MAX_LEN)
		return errno = ENAMETOOLONG, -1;
	memcpy(name, *p, n);
	name[n] = '\0';
	*p += n;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return errno = EINVAL, -1;
	return 0;
}

/* "/" + the first len bytes of path, for messages. */
static const char *shown(const char *path, size_t len, char *buf, size_t size)
{
	while (*path == '/' && len)
		path++, len--;
	snprintf(buf, size, "/%.*s", (int)len, path);
	return buf;
}

static int fail(struct ce_error *err, int e, const char *path, size_t len, bool want_dir)
{
	char buf[512];

	shown(path, len, buf, sizeof(buf));
	errno = e;
	if (e == ELOOP)
		ce_error_set(err, 0, "%s in the root tree is a symbolic link; cengine follows none there (refused)", buf);
	else if (e == ENOTDIR && want_dir)
		ce_error_set(err, 0, "%s in the root tree is not a directory (refused)", buf);
	else
		ce_error_set(err, e, "%s in the root tree", buf);
	errno = e;
	return -1;
}

/* Open name beneath dir as a directory, making it first when missing and make. */
static int step_dir(int dir, const char *name, bool make)
{
	int fd = open_name(dir, name, O_DIRECTORY, false);

	if (fd >= 0 || errno != ENOENT || !make)
		return fd;
	if (mkdirat(dir, name, 0755) < 0 && errno != EEXIST)
		return -1;
	return open_name(dir, name, O_DIRECTORY, false);
}

int resolve_dir(int base, const char *path, bool make, struct ce_error *err)
{
	_cleanup_close_ int cur = open_name(base, ".", O_DIRECTORY, false);
	const char *p = path;
	char name[NAME_MAX_LEN];

	if (cur < 0)
		return fail(err, errno, path, 0, true);
	for (;;) {
		int next;

		if (next_name(&p, name) < 0)
			return fail(err, errno, path, (size_t)(p - path), true);
		if (!name[0])
			return steal_fd(&cur);
		next = step_dir(cur, name, make);
		if (next < 0)
			return fail(err, errno, path, (size_t)(p - path), true);
		close(cur);
		cur = next;
	}
}

/* Split path into its directory (made when make) and its last name. */
static int parent_of(int base, const char *path, bool make, char name[NAME_MAX_LEN], struct ce_error *err)
{
	char dir[512];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (n >= sizeof(dir) || strlen(slash ? slash + 1 : path) >= NAME_MAX_LEN)
		return fail(err, ENAMETOOLONG, path, strlen(path), false);
	memcpy(dir, path, n);
	dir[n] = '\0';
	snprintf(name, NAME_MAX_LEN, "%s", slash ? slash + 1 : path);
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, ".."))
		return fail(err, EINVAL, path, strlen(path), false);
	return resolve_dir(base, dir, make, err);
}

int resolve_object(int base, const char *path, bool same_mount, struct ce_error *err)
{
	char name[NAME_MAX_LEN];
	_cleanup_close_ int dir = parent_of(base, path, false, name, err);
	int fd;

	if (dir < 0)
		return -1;
	fd = open_name(dir, name, O_NOFOLLOW, same_mount);
	if (fd < 0)
		return fail(err, errno, path, strlen(path), false);
	return fd;
}

int resolve_write_data(int base, const char *path, const char *data, size_t len, mode_t mode, struct ce_error *err)
{
	char name[NAME_MAX_LEN];
	_cleanup_close_ int dir = parent_of(base, path, true, name, err), fd = -1;

	if (dir < 0)
		return -1;
	/* whatever the tree has there goes (a directory stays: EISDIR); O_EXCL | O_NOFOLLOW: ours, or nothing */
	if (unlinkat(dir, name, 0) < 0 && errno != ENOENT)
		return fail(err, errno, path, strlen(path), false);
	fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fd_write_all(fd, data, len) < 0 || fchmod(fd, mode) < 0)
		return fail(err, errno, path, strlen(path), false);
	return 0;
}

int resolve_write_file(int base, const char *path, const char *text, struct ce_error *err)
{
	return resolve_write_data(base, path, text, strlen(text), 0644, err);
}

int resolve_open(int base, const char *path, int flags, bool make, struct ce_error *err)
{
	char name[NAME_MAX_LEN];
	_cleanup_close_ int dir = parent_of(base, path, make, name, err);
	struct open_how how = { .flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC | (make ? O_CREAT : 0)),
				.mode = make ? 0644 : 0,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	int fd;

	if (dir < 0)
		return -1;
	fd = (int)syscall(SYS_openat2, dir, name, &how, sizeof(how));
	if (fd < 0)
		return fail(err, errno, path, strlen(path), false);
	return fd;
}
