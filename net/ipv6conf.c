/* SPDX-License-Identifier: MIT */
/* net/ipv6conf.c: per-link IPv6 settings netlink cannot set (router advertisements, redirects), written to /proc/sys by fd. */
#include "net/net.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"

/* net.ipv6.conf.<name>.<key> = value in the caller's netns (sysctl files
 * belong to the netns of the process that opens them). A missing file: no
 * IPv6 in this kernel, or no such setting: nothing to set. */
static int conf_set(const char *name, const char *key, const char *value, struct ce_error *err)
{
	char path[128];
	_cleanup_close_ int fd = -1;
	size_t len = strlen(value);

	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return ce_error_set(err, EINVAL, "link name %s", name);
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", name, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && access("/proc/sys/net/ipv6/conf", F_OK) < 0)
		return 0;
	if (fd < 0 || write(fd, value, len) != (ssize_t)len)
		return ce_error_set(err, errno, "write %s", path);
	return 0;
}

int net_ipv6_no_ra(const char *name, struct ce_error *err)
{
	if (conf_set(name, "accept_ra", "0", err) < 0)
		return -1;
	return conf_set(name, "accept_redirects", "0", err);
}

int net_ipv6_accept_ra(const char *name, int level, struct ce_error *err)
{
	static const char *const value[] = { "0", "1", "2" };

	if (level < 0 || level > 2)
		return ce_error_set(err, EINVAL, "%s: accept_ra %d", name, level);
	return conf_set(name, "accept_ra", value[level], err);
}
