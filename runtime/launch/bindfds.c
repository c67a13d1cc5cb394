/* SPDX-License-Identifier: MIT */
/* bindfds.c: a container's binds as detached mounts made on the host side: recursive, read-only recursively, idmapped to their owner. */
#include "runtime/launch/bindfds.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/num.h"

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

/* uid_map lines that put the owner's id at the container's root (base) and every other id of the
 * container at its own id, but the owner's: root's files on the host show as no one (65534), and
 * what the container's root writes is the owner's. */
static int owner_map(char *buf, size_t len, uint32_t owner, uint32_t base, uint32_t count)
{
	int n = snprintf(buf, len, "%u %u 1\n", owner, base);
	uint32_t below = owner < count ? owner : count;

	if (below > 1)
		n += snprintf(buf + n, len - (size_t)n, "1 %u %u\n", base + 1, below - 1);
	if (owner + 1 < count)
		n += snprintf(buf + n, len - (size_t)n, "%u %u %u\n", owner + 1, base + owner + 1, count - owner - 1);
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
	struct { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; } args = {
		.flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
	int hold[2], fd = -1;
	char path[64], c;
	pid_t pid;

	if (pipe2(hold, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "pipe");
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
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

/* The user namespace of PID's binds: PID's own when the owner is root, else the owner's (made once per map). */
static int bind_userns(pid_t pid, const struct idmap *m, struct ce_error *err)
{
	char path[64];
	uid_t uid;
	gid_t gid;
	int fd;

	bindfds_owner(&uid, &gid);
	if (!uid && !gid) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		return fd >= 0 ? fd : ce_error_set(err, errno, "open %s", path);
	}
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
	_cleanup_close_ int tree = (int)syscall(SYS_open_tree, AT_FDCWD, b->src,
						OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);

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

int bindfds_open(const struct container *c, pid_t pid, const struct idmap *m, int *fds, struct ce_error *err)
{
	_cleanup_close_ int userns = -1;
	size_t i;

	if (!c->fx.n_binds)
		return 0;
	if (m->on && (userns = bind_userns(pid, m, err)) < 0)
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
