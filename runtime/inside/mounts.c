/* SPDX-License-Identifier: MIT */
/* mounts.c: the container's tmpfs entries and binds, attached by fd at paths resolved beneath its root, shallowest first. */
#include "runtime/inside/fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/inside/fdmount.h"
#include "runtime/inside/resolve.h"
#include "util/cleanup.h"

/* Indexes 0..n-1 ordered by the length of their path (a parent before what lies in it). */
static void by_depth(size_t *order, size_t n, const char *(*path_of)(const struct container *, size_t),
		     const struct container *c)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = i;

		for (; k > 0 && strlen(path_of(c, order[k - 1])) > strlen(path_of(c, i)); k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
}

static const char *tmpfs_path(const struct container *c, size_t i)
{
	return c->fx.tmpfs[i].dst;
}

static const char *bind_path(const struct container *c, size_t i)
{
	return c->fx.binds[i].dst;
}

static int one_tmpfs(int root, const struct tmpfs_mount *t, struct ce_error *err)
{
	_cleanup_close_ int target = resolve_dir(root, t->dst, true, err), mnt = -1;
	char opts[64];
	int n = snprintf(opts, sizeof(opts), "mode=%o", (unsigned)t->mode);

	if (t->size)
		snprintf(opts + n, sizeof(opts) - (size_t)n, ",size=%llu", (unsigned long long)t->size);
	if (target < 0)
		return -1;
	mnt = fdmount_fs(target, t->dst, "tmpfs", "tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, err);
	return mnt < 0 ? -1 : 0;
}

int fixture_tmpfs(int root, const struct container *c, struct ce_error *err)
{
	_cleanup_free_ size_t *order = calloc(c->fx.n_tmpfs + 1, sizeof(*order));

	if (!order)
		return ce_error_set(err, ENOMEM, "tmpfs");
	by_depth(order, c->fx.n_tmpfs, tmpfs_path, c);
	for (size_t i = 0; i < c->fx.n_tmpfs; i++)
		if (one_tmpfs(root, &c->fx.tmpfs[order[i]], err) < 0)
			return ce_error_wrap(err, "tmpfs %s", c->fx.tmpfs[order[i]].dst);
	return 0;
}

int fixture_file_target(int root, const char *path, struct ce_error *err)
{
	int fd = resolve_object(root, path, false, err);
	struct stat st;

	if (fd < 0 && errno == ENOENT) {
		fd = resolve_open(root, path, O_WRONLY | O_EXCL, true, err);
		if (fd < 0)
			return -1;
		close(fd);
		fd = resolve_object(root, path, false, err);
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) {
		close(fd);
		return ce_error_set(err, 0, "%s in the root tree is a %s (refused)", path,
				    S_ISDIR(st.st_mode) ? "directory, not a file" : "symbolic link");
	}
	return fd;
}

/* The bind's mount on its path: a directory for a directory, an empty file for anything else. */
static int one_bind(int root, const struct bind *b, int mnt, struct ce_error *err)
{
	_cleanup_close_ int target = -1;
	struct stat st;

	if (fstat(mnt, &st) < 0)
		return ce_error_set(err, errno, "stat");
	target = S_ISDIR(st.st_mode) ? resolve_dir(root, b->dst, true, err) : fixture_file_target(root, b->dst, err);
	if (target < 0)
		return -1;
	return fdmount_attach(mnt, target, b->dst, err);
}

int fixture_binds(int root, const struct container *c, const int *fds, struct ce_error *err)
{
	_cleanup_free_ size_t *order = calloc(c->fx.n_binds + 1, sizeof(*order));

	if (!order)
		return ce_error_set(err, ENOMEM, "binds");
	by_depth(order, c->fx.n_binds, bind_path, c);
	for (size_t i = 0; i < c->fx.n_binds; i++) {
		const struct bind *b = &c->fx.binds[order[i]];

		if (one_bind(root, b, fds[order[i]], err) < 0)
			return ce_error_wrap(err, "bind %s at %s", b->src, b->dst);
	}
	return 0;
}

int fixture_devices(int root, const struct container *c, int nodes, struct ce_error *err)
{
	size_t i = 0;

	for (char *const *p = c->fx.devices; p && *p; p++, i++) {
		_cleanup_close_ int target = -1, node = -1;
		char name[32];

		snprintf(name, sizeof(name), "dev%zu", i);
		node = open_tree(nodes, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (node < 0)
			return ce_error_set(err, errno, "device %s: its node", *p);
		target = fixture_file_target(root, *p, err);
		if (target < 0 || fdmount_attach(node, target, *p, err) < 0)
			return ce_error_wrap(err, "device %s", *p);
	}
	return 0;
}
