/* SPDX-License-Identifier: MIT */
/* devnodes.c: the nodes of a container's `devices`, made by the host side in its own tmpfs: the host's mode, owned by the container's root. */
#include "runtime/launch/devnodes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "model/devices.h"

size_t devnodes_count(const struct container *c)
{
	size_t n = 0;

	while (c->fx.devices && c->fx.devices[n])
		n++;
	return n;
}

/* The host's node of d: it must be there, and be d's character device. Its permission bits. */
static int host_mode(const struct known_device *d, mode_t *mode, struct ce_error *err)
{
	struct stat st;

	if (lstat(d->path, &st) < 0)
		return ce_error_set(err, errno, "device %s: not on this host", d->path);
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(d->major, d->minor))
		return ce_error_set(err, 0, "device %s: the host's node is not the character device %d:%d (refused)",
				    d->path, d->major, d->minor);
	*mode = st.st_mode & 0777;
	return 0;
}

int devnodes_make(int dir, const struct container *c, uid_t uid, gid_t gid, struct ce_error *err)
{
	size_t i = 0;

	for (char *const *p = c->fx.devices; p && *p; p++, i++) {
		const struct known_device *d = devices_known(*p);
		char name[32];
		mode_t mode = 0;

		if (!d)
			return ce_error_set(err, EINVAL, "device %s: not allowed", *p);
		if (host_mode(d, &mode, err) < 0)
			return -1;
		snprintf(name, sizeof(name), DEVNODES_NAME "%zu", i);
		if (mknodat(dir, name, S_IFCHR | mode, makedev(d->major, d->minor)) < 0 ||
		    fchmodat(dir, name, mode, 0) < 0 || fchownat(dir, name, uid, gid, 0) < 0)
			return ce_error_set(err, errno, "device %s: make its node", d->path);
	}
	return 0;
}
