/* SPDX-License-Identifier: MIT */
/* net/forward.c: IP forwarding: a container's own netns, and the host's shared by projects. */
#include "net/net.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/cleanup.h"

#define IPV4_FORWARD "/proc/sys/net/ipv4/ip_forward"
#define IPV6_FORWARD "/proc/sys/net/ipv6/conf/all/forwarding"

static int write_str(const char *path, const char *val, struct ce_error *err)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(val);

	if (fd < 0 || write(fd, val, len) != (ssize_t)len)
		return ce_error_set(err, errno, "write %s", path);
	return 0;
}

static int write_str_new(const char *path, const char *val, struct ce_error *err)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(val);

	if (fd < 0 || write(fd, val, len) != (ssize_t)len)
		return ce_error_set(err, errno, "write %s", path);
	return 0;
}

static int read_char(const char *path, char *out, struct ce_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, out, 1) != 1)
		return ce_error_set(err, errno ? errno : EIO, "read %s", path);
	return 0;
}

/* path = want, written only when it is not already: a write of IPv6's
 * all.forwarding takes the RTNL (retrying the syscall while another holds it),
 * even to set the value it has. A missing file is an error unless optional. */
static int set_char(const char *path, char want, bool optional, struct ce_error *err)
{
	char now = 0;
	const char val[2] = { want, '\0' };

	if (read_char(path, &now, NULL) < 0 && optional && access(path, F_OK) < 0)
		return 0;
	return now == want ? 0 : write_str(path, val, err);
}

/* Net sysctls belong to the netns of the process that opens them, so a
 * child already in its own netns changes only that namespace. */
int net_forward_set(bool on, struct ce_error *err)
{
	if (set_char(IPV4_FORWARD, on ? '1' : '0', false, err) < 0)
		return -1;
	return set_char(IPV6_FORWARD, on ? '1' : '0', true, err);
}

static int lock_saved(const char *root, char *saved, size_t len, struct ce_error *err)
{
	char path[512];
	int fd;

	snprintf(saved, len, "%s/ip_forward.saved", root);
	snprintf(path, sizeof(path), "%s/ip_forward.lock", root);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		if (fd >= 0)
			close(fd);
		return ce_error_set(err, errno, "lock %s", path);
	}
	return fd;
}

int net_host_forward_acquire(const char *root, struct ce_error *err)
{
	_cleanup_close_ int lock = -1;
	char saved[512], old[2] = "";
	int rc = 0;

	lock = lock_saved(root, saved, sizeof(saved), err);
	if (lock < 0)
		return -1;
	if (access(saved, F_OK) < 0)	/* first user: remember the host's own value */
		rc = read_char(IPV4_FORWARD, old, err) < 0 ? -1 : write_str_new(saved, old, err);
	if (rc == 0)
		rc = write_str(IPV4_FORWARD, "1", err);
	return rc;
}

int net_host_forward_release(const char *root, bool in_use, struct ce_error *err)
{
	_cleanup_close_ int lock = -1;
	char saved[512], old[2] = "";
	char path[512];

	lock = lock_saved(root, saved, sizeof(saved), err);
	if (lock < 0)
		return -1;
	if (!in_use && read_char(saved, old, NULL) == 0) {
		if (write_str(IPV4_FORWARD, old, err) < 0)
			return -1;
		unlink(saved);
	}
	if (!in_use) {
		snprintf(path, sizeof(path), "%s/ip_forward.lock", root);
		unlink(path);
	}
	return 0;
}
