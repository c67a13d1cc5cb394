/* SPDX-License-Identifier: MIT */
/* fdmount.c: mounts made and attached by file descriptor (fsopen, fsmount, open_tree, move_mount): no path is looked up again. */
#include "runtime/inside/fdmount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "util/cleanup.h"

/* "key=value,flag,...": one fsconfig call each (our own constant strings: no escaping of commas). */
static int configure(int fs, const char *opts, char *bad, size_t len)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", opts ? opts : "");
	for (char *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		int rc;

		if (eq) {
			*eq = '\0';
			rc = fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0);
		} else {
			rc = fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0);
		}
		if (rc < 0)
			return snprintf(bad, len, "option %s", o), -1;
	}
	return 0;
}

int fdmount_new(const char *type, const char *source, const char *opts, unsigned int attrs, struct ce_error *err)
{
	_cleanup_close_ int fs = fsopen(type, FSOPEN_CLOEXEC);
	char bad[64] = "create";
	int mnt;

	if (fs < 0)
		return ce_error_set(err, errno, "fsopen %s", type);
	if ((source && fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0) ||
	    configure(fs, opts, bad, sizeof(bad)) < 0 || fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return ce_error_set(err, errno, "%s: %s", type, bad);
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	if (mnt < 0)
		return ce_error_set(err, errno, "fsmount %s", type);
	return mnt;
}

int fdmount_clone(int fd, bool rec, unsigned int attrs, struct ce_error *err)
{
	struct mount_attr attr = { .attr_set = attrs };
	_cleanup_close_ int tree = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
					     (rec ? AT_RECURSIVE : 0));

	if (tree < 0)
		return ce_error_set(err, errno, "open_tree");
	if (attrs && mount_setattr(tree, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
		return ce_error_set(err, errno, "mount_setattr");
	return steal_fd(&tree);
}

int fdmount_attach(int mnt, int target, const char *name, struct ce_error *err)
{
	if (move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return ce_error_set(err, errno, "attach on %s", name);
	return 0;
}

int fdmount_fs(int target, const char *name, const char *type, const char *source, const char *opts,
	       unsigned int attrs, struct ce_error *err)
{
	_cleanup_close_ int mnt = fdmount_new(type, source, opts, attrs, err);

	if (mnt < 0)
		return ce_error_wrap(err, "mount %s on %s", type, name);
	if (fdmount_attach(mnt, target, name, err) < 0)
		return ce_error_wrap(err, "mount %s", type);
	return steal_fd(&mnt);
}
