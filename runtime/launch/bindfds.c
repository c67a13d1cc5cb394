/* SPDX-License-Identifier: MIT */
/* bindfds.c: a container's binds as detached mounts made on the host side: recursive, read-only recursively, idmapped to their owner. */
#include "runtime/launch/bindfds.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/num.h"
#include "util/proc.h"

/* The user namespace the owner's binds are idmapped through, kept for the next container of the same map. */
static struct {
	struct idmap m;
	uid_t uid;
	gid_t gid;
	int fd;
} owner_ns = { .fd = -1 };

static long env_id(const char *name, long fallback)
{
	const char *v = getenv(name);
	long id;

	if (!v || num_parse_long(v, 0, UINT32_MAX - 1, "an id", &id, NULL) < 0)
		return fallback;
	return id;
}

void bindfds_owner(uid_t *uid, gid_t *gid)
{
	*uid = getuid() ? getuid() : (uid_t)env_id("SUDO_UID", 0);
	*gid = getuid() ? getgid() : (gid_t)env_id("SUDO_GID", 0);
}

/* uid_map lines of the binds' idmap: the owner's id stands for the container's root (base), and every other
 * id of the container (base+1 .. base+count-1) for the same host id: a subordinate id of the container's,
 * never a host user's. So what the container's root writes is the owner's; what its other users write is
 * theirs (as without a bind), not uid 1001 of the host; a setuid file they make runs as no host user; the
 * host's files but the owner's appear as no one (65534). (The owner inside that range loses its id.) */
static int owner_map(char *buf, size_t len, uint32_t owner, uint32_t base, uint32_t count)
{
	int n = snprintf(buf, len, "%u %u 1\n", owner, base);
	uint32_t first = base + 1, end = base + count;

	if (owner >= first && owner < end) {
		if (owner > first)
			n += snprintf(buf + n, len - (size_t)n, "%u %u %u\n", first, first, owner - first);
		first = owner + 1;
	}
	if (first < end)
		n += snprintf(buf + n, len - (size_t)n, "%u %u %u\n", first, first, end - first);
	return n;
}

static int write_owner_map(pid_t pid, const char *file, uint32_t owner, uint32_t base, uint32_t count)
{
	char path[64], buf[160];
	int n = owner_map(buf, sizeof(buf), owner, base, count);
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	return fd >= 0 && write(fd, buf, (size_t)n) == n ? 0 : -1;
}

/* A process in a new user namespace of the owner's map, held while we open its namespace. */
static int make_owner_ns(const struct idmap *m, uid_t uid, gid_t gid, struct ce_error *err)
{
	int hold[2], fd = -1;
	char path[64], c;
	pid_t pid;

	if (pipe2(hold, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "pipe");
	pid = proc_clone(CLONE_NEWUSER, -1);
	if (pid == 0) {
		close(hold[1]);
		_exit(read(hold[0], &c, 1) < 0);	/* until we close our end */
	}
	close(hold[0]);
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if (pid > 0 && write_owner_map(pid, "uid_map", uid, m->uid, m->count) == 0 &&
	    write_owner_map(pid, "gid_map", gid, m->gid, m->count) == 0)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		ce_error_set(err, errno, "a user namespace for binds owned by uid %u", (unsigned)uid);
	close(hold[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return fd;
}

/* The user namespace of the binds: the owner's map of m (made once per owner and map). */
static int bind_userns(const struct idmap *m, struct ce_error *err)
{
	uid_t uid;
	gid_t gid;
	int fd;

	bindfds_owner(&uid, &gid);
	if (owner_ns.fd < 0 || owner_ns.uid != uid || owner_ns.gid != gid || owner_ns.m.uid != m->uid ||
	    owner_ns.m.gid != m->gid || owner_ns.m.count != m->count) {
		if ((fd = make_owner_ns(m, uid, gid, err)) < 0)
			return -1;
		if (owner_ns.fd >= 0)
			close(owner_ns.fd);
		owner_ns.fd = fd, owner_ns.m = *m, owner_ns.uid = uid, owner_ns.gid = gid;
	}
	fd = fcntl(owner_ns.fd, F_DUPFD_CLOEXEC, 3);
	return fd >= 0 ? fd : ce_error_set(err, errno, "dup");
}

static int open_bind(const struct bind *b, int userns, struct ce_error *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (b->ro ? MOUNT_ATTR_RDONLY : 0) };
	/* src is the check's realpath: a symlink put on it since (by a container's rw bind) fails, never followed */
	_cleanup_close_ int src = fs_open_resolved(b->src, O_PATH), tree = -1;

	if (src < 0)
		return ce_error_set(err, errno, "bind %s%s", b->src, errno == ELOOP ? ": a symbolic link appeared on it "
				    "since the file was checked (refused)" : "");
	tree = (int)syscall(SYS_open_tree, src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (tree < 0)
		return ce_error_set(err, errno, "bind %s: open_tree", b->src);
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return ce_error_set(err, errno, "bind %s: mount_setattr", b->src);
	attr = (struct mount_attr){ .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns };
	if (userns >= 0 && syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return ce_error_set(err, 0, "bind %s: this file system (or one mounted beneath it) cannot be idmapped (%s); "
				    "set `userns = false` to bind it", b->src, strerror(errno));
	return steal_fd(&tree);
}

int bindfds_open(const struct container *c, const struct idmap *m, int *fds, struct ce_error *err)
{
	_cleanup_close_ int userns = -1;
	size_t i;

	if (!c->fx.n_binds)
		return 0;
	if (m->on && (userns = bind_userns(m, err)) < 0)
		return ce_error_wrap(err, "container %s", c->name);
	for (i = 0; i < c->fx.n_binds; i++)
		if ((fds[i] = open_bind(&c->fx.binds[i], userns, err)) < 0)
			break;
	if (i == c->fx.n_binds)
		return 0;
	while (i--)
		close(fds[i]);
	return ce_error_wrap(err, "container %s", c->name);
}
