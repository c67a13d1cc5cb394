/* SPDX-License-Identifier: MIT */
/* launch.c: prepare one container's host side and clone3 it into new namespaces, held until released. */
#include "runtime/launch/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "model/devices.h"
#include "model/naming.h"
#include "runtime/launch/bindfds.h"
#include "runtime/launch/devnodes.h"
#include "plan/netplan.h"
#include "runtime/inside/container.h"
#include "runtime/launch/logkeeper.h"
#include "runtime/launch/rootfs.h"
#include "runtime/launch/ulimits.h"
#include "runtime/launch/userns.h"
#include "state/paths.h"
#include "util/cleanup.h"
#include "util/fdpass.h"
#include "util/proc.h"

#define CONTAINER_NS_FLAGS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)

static int make_dirs(struct journal *j, struct launch *l, struct ce_error *err)
{
	if (journal_add(j, err, J_DIR, "%s", l->dir) < 0)
		return -1;
	if (mkdir(l->dir, 0700) < 0)
		return ce_error_set(err, errno, "mkdir %s", l->dir);
	return 0;
}

int launch_log_file(const struct launch *l, struct ce_error *err)
{
	int log = openat(l->dir_fd, STATE_FILE_LOG, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, STATE_LOG_MODE);

	if (log < 0)
		return ce_error_set(err, errno, "create %s/%s", l->dir, STATE_FILE_LOG);
	close(log);
	return 0;
}

/* The container's stdout and stderr: a pipe, never a host file (a file could be truncated, or
 * filled without bound). The keeper reads it; pid 1 holds a read end too, so that writes block
 * once the pipe is full, rather than fail, when the keeper is gone. Pid 1 reports its command's
 * exit status through a second pipe (non-blocking on its side), which the keeper turns into the
 * exit file: no process of the container holds a writable descriptor of a host file. */
static int make_pipes(struct launch *l, struct ce_error *err)
{
	int p[2], e[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "container %s: log pipe", l->c->name);
	fcntl(p[1], F_SETPIPE_SZ, LOGKEEPER_PIPE_SIZE);	/* best effort: the keeper may lag a little */
	l->log_r = p[0], l->log_w = p[1];
	if (pipe2(e, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "container %s: exit status pipe", l->c->name);
	fcntl(e[1], F_SETFL, O_NONBLOCK);	/* a record lost is better than a pid 1 stuck */
	l->exit_r = e[0], l->exit_w = e[1];
	return 0;
}

/* Only the devices of the container's allow-list, from before its first process joins. */
static int allow_devices(const struct cgroup_ops *cg, struct launch *l, struct ce_error *err)
{
	struct device_rule rules[DEVICES_MAX];
	int n = devices_rules(l->c, rules, DEVICES_MAX);

	if (n < 0)
		return ce_error_set(err, E2BIG, "more than %d device rules", DEVICES_MAX);
	return cg->devices(l->cgroup, rules, (size_t)n, err);
}

static int make_cgroup(const struct cgroup_ops *cg, struct journal *j, struct launch *l, struct ce_error *err)
{
	if (journal_add(j, err, J_CGROUP, "%s", l->cgroup) < 0)
		return -1;
	if (cg->create_leaf(l->cgroup, &l->c->limits, err) < 0 || cg->apply(l->cgroup, &l->c->limits, err) < 0 ||
	    allow_devices(cg, l, err) < 0)
		return ce_error_wrap(err, "container %s: cgroup", l->c->name);
	return 0;
}

static pid_t clone_child(uint64_t flags, int cg_fd, struct child_args *ca)
{
	pid_t pid = proc_clone(flags, cg_fd);
	int keep[3 + CGROUP_SELF_MAX];

	if (pid != 0)
		return pid;
	/* the lock, the journal, other containers' sockets must not outlive `up` in a container */
	keep[0] = ca->sync_fd, keep[1] = ca->tty_tree, keep[2] = ca->hold_fd;
	memcpy(keep + 3, ca->cg_fds, ca->n_cg_fds * sizeof(int));
	fd_close_except(keep, 3 + ca->n_cg_fds);
	container_child(ca);
}

/* A detached tmpfs of the container's own holding one node, tty (5,0), for its /dev/tty, and the nodes
 * of its devices (devnodes.h): made here, as a user namespace may make no device node, and not the
 * host's inodes, which are not the container's to chmod or touch. Gone with the container's last mount
 * of it; nothing on the host. */
static int make_tty_tree(const struct launch *l, struct ce_error *err)
{
	_cleanup_close_ int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC), mnt = -1;
	char inodes[32];

	snprintf(inodes, sizeof(inodes), "%zu", 2 + devnodes_count(l->c));
	if (fs < 0 || syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "4k", 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "nr_inodes", inodes, 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return ce_error_set(err, errno, "container %s: a tmpfs for /dev/tty", l->c->name);
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (mnt < 0 || mknodat(mnt, "tty", S_IFCHR | 0666, makedev(5, 0)) < 0 || fchmodat(mnt, "tty", 0666, 0) < 0)
		return ce_error_set(err, errno, "container %s: the node /dev/tty", l->c->name);
	if (devnodes_make(mnt, l->c, l->map.on ? l->map.uid : 0, l->map.on ? l->map.gid : 0, err) < 0)
		return ce_error_wrap(err, "container %s", l->c->name);
	return steal_fd(&mnt);
}

/* Into the group of every hierarchy: by clone3 where there is a cgroup2 tree (CLONE_INTO_CGROUP,
 * *cg_fd), the child itself through ca->cg_fds for the v1 ones, before it waits for release; the
 * cgroup namespace comes after the last (CLONE_NEWCGROUP at clone when nothing is left to join). */
static int place_in_cgroup(const struct cgroup_ops *cg, struct launch *l, uint64_t *flags,
			   struct child_args *ca, int *cg_fd, struct ce_error *err)
{
	int n;

	*cg_fd = cg->open_fd(l->cgroup, NULL);
	n = cg->open_self(l->cgroup, *cg_fd >= 0, ca->cg_fds, err);
	if (n < 0)
		return ce_error_wrap(err, "container %s: cgroup", l->c->name);
	ca->n_cg_fds = (size_t)n;
	ca->need_cgroupns = n > 0;
	if (!n)
		*flags |= CLONE_NEWCGROUP;
	return 0;
}

static void close_self_fds(struct child_args *ca)
{
	for (size_t i = 0; i < ca->n_cg_fds; i++)
		close(ca->cg_fds[i]);
	ca->n_cg_fds = 0;
}

/* depends_on: a pipe whose read end the container's pid 1 waits on before its command (init.c). */
static int make_hold(struct launch *l, int *hold_r, struct ce_error *err)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "container %s: pipe", l->c->name);
	*hold_r = fds[0], l->hold_w = fds[1];
	return 0;
}

/* The lower tree; a cached tarball tree is journalled as used (under the cache's lock) so that
 * prune keeps it. */
static int prepare_rootfs(struct journal *j, struct launch *l, char *lower, size_t len, struct ce_error *err)
{
	int lock, rc = 0;

	if (rootfs_prepare(l->c, lower, len, &lock, err) < 0)
		return ce_error_wrap(err, "container %s", l->c->name);
	if (lock >= 0) {
		rc = journal_add(j, err, J_ROOTFS, "%s %s", l->c->name, lower);
		close(lock);
	}
	return rc;
}

/* The child's end of the sync socket is also its status line (child_args.status_fd); its output
 * pipes and the idmapped tree come over it at release. */
static int clone_container(const struct project *p, const struct cgroup_ops *cg, struct launch *l,
			   bool interactive, struct ce_error *err)
{
	const struct idmap m = l->map;
	int sync[2];
	_cleanup_close_ int cg_fd = -1, tty_tree = -1, hold_r = -1;
	uint64_t flags = CONTAINER_NS_FLAGS;
	struct child_args ca = { .project = p, .c = l->c, .net = &l->net, .hosts = l->hosts, .state_dir = l->dir,
				 .lower = l->lower,
				 .lower_fd = -1, .log_fd = -1, .log_hold_fd = -1, .exit_fd = -1,
				 .interactive = interactive, .userns = m.on, .hold_fd = -1 };

	if (rootfs_state_dirs(l->dir, &m, err) < 0)
		return ce_error_wrap(err, "container %s", l->c->name);
	if (m.on)
		flags |= CLONE_NEWUSER;
	if ((tty_tree = make_tty_tree(l, err)) < 0 ||
	    (!interactive && l->c->svc.n_depends && make_hold(l, &hold_r, err) < 0))
		return -1;
	ca.hold_fd = hold_r, ca.tty_tree = tty_tree;
	if (place_in_cgroup(cg, l, &flags, &ca, &cg_fd, err) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) < 0) {
		close_self_fds(&ca);
		return ce_error_set(err, errno, "socketpair");
	}
	ca.sync_fd = ca.status_fd = sync[0];
	l->pid = clone_child(flags, cg_fd, &ca);
	close_self_fds(&ca);
	close(sync[0]);
	l->sync_fd = sync[1];
	if (l->pid < 0)
		return ce_error_set(err, errno, "container %s: clone3", l->c->name);
	if (m.on && userns_write_maps(l->pid, &m, err) < 0)
		return ce_error_wrap(err, "container %s", l->c->name);
	return 0;
}

/* stop_signal, stop_timeout: journalled before the pid, which down stops with them. */
static int journal_stop_policy(struct journal *j, const struct container *c, struct ce_error *err)
{
	if (!c->svc.stop_signal && c->svc.stop_timeout_ms < 0)
		return 0;
	return journal_add(j, err, J_STOP, "%s %d %d", c->name, c->svc.stop_signal ? c->svc.stop_signal : SIGTERM,
			   c->svc.stop_timeout_ms);
}

/* The binds as detached mounts, made now that the container's user namespace exists (idmapped into it). */
static int open_binds(struct launch *l, struct ce_error *err)
{
	size_t n = l->c->fx.n_binds;

	if (!n)
		return 0;
	if (!(l->bind_fds = calloc(n, sizeof(*l->bind_fds))))
		return ce_error_set(err, ENOMEM, "container %s: binds", l->c->name);
	if (bindfds_open(l->c, &l->map, l->bind_fds, err) < 0)
		return -1;
	l->n_bind_fds = n;
	return 0;
}

/* After the go byte: each bind's mount, in the container's order. */
static int send_binds(struct launch *l)
{
	for (size_t i = 0; i < l->n_bind_fds; i++)
		if (fd_send(l->sync_fd, 'b', l->bind_fds[i]) < 0)
			return -1;
	return 0;
}

static void close_binds(struct launch *l)
{
	for (size_t i = 0; i < l->n_bind_fds; i++)
		close(l->bind_fds[i]);
	free(l->bind_fds);
	l->bind_fds = NULL;
	l->n_bind_fds = 0;
}

int launch_clone(const struct project *p, const struct cgroup_ops *cg, struct journal *j,
		 struct launch *l, bool interactive, struct ce_error *err)
{
	char lower[ROOTFS_PATH_MAX];
	int rc;

	if (state_container_dir(p->name, l->c->name, l->dir, sizeof(l->dir)) < 0)
		return ce_error_set(err, ENAMETOOLONG, "container %s: state path too long", l->c->name);
	naming_cgroup(p->name, l->c->name, l->cgroup, sizeof(l->cgroup));
	if (plan_container_net(p, (size_t)(l->c - p->containers), &l->net, err) < 0)
		return -1;
	if (make_dirs(j, l, err) < 0 || make_cgroup(cg, j, l, err) < 0 ||
	    prepare_rootfs(j, l, lower, sizeof(lower), err) < 0 || journal_stop_policy(j, l->c, err) < 0)
		return -1;
	if (!(l->lower = strdup(lower)))
		return ce_error_set(err, ENOMEM, "container %s", l->c->name);
	rc = clone_container(p, cg, l, interactive, err);
	if (rc == 0)	/* on pid 1 before it runs anything: all it starts inherits them */
		rc = launch_ulimits(l->pid, l->c, err);
	/* journal a cloned child even when its user namespace setup failed, so teardown kills it */
	if (l->pid > 0 &&
	    journal_add(j, err, J_PID, "%s %d %llu", l->c->name, (int)l->pid, proc_starttime(l->pid)) < 0)
		return -1;
	return rc;
}

int launch_open(struct launch *l, bool interactive, struct ce_error *err)
{
	char ns[64];

	snprintf(ns, sizeof(ns), "/proc/%d/ns/net", (int)l->pid);
	l->netns_fd = open(ns, O_RDONLY | O_CLOEXEC);
	if (l->netns_fd < 0)
		return ce_error_set(err, errno, "open %s", ns);
	l->dir_fd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->dir_fd < 0)
		return ce_error_set(err, errno, "open %s", l->dir);
	return interactive ? 0 : make_pipes(l, err);
}

int launch_go(struct launch *l, struct ce_error *err)
{
	ssize_t n = write(l->hold_w, "g", 1);

	close(l->hold_w);
	l->hold_w = -1;
	return n == 1 ? 0 : ce_error_set(err, errno, "container %s: start its command", l->c->name);
}

/* After the binds: its output pipe's write end, its read end (pid 1 holds it; the log keeper has
 * its own), the exit status pipe's write end; ours are closed. */
static int send_outputs(struct launch *l)
{
	if (l->log_w < 0)
		return 0;
	if (fd_send(l->sync_fd, 'o', l->log_w) < 0 || fd_send(l->sync_fd, 'h', l->log_r) < 0 ||
	    fd_send(l->sync_fd, 'x', l->exit_w) < 0)
		return -1;
	close(l->log_w), close(l->log_r), close(l->exit_w);
	l->log_w = l->log_r = l->exit_w = -1;
	return 0;
}

/* What the container gets at release, made now that the others are cloned: the rootfs as an
 * idmapped tree (user namespace: its maps are written) and its binds. */
static int open_release_fds(struct launch *l, struct ce_error *err)
{
	if (l->map.on && (l->lower_fd = userns_idmapped_tree(l->pid, l->lower, err)) < 0)
		return ce_error_wrap(err, "container %s", l->c->name);
	return open_binds(l, err);
}

int launch_release(struct launch *l, struct ce_error *err)
{
	if (open_release_fds(l, err) < 0)
		return -1;
	if (fd_send(l->sync_fd, 'g', l->lower_fd) < 0 || send_binds(l) < 0 || send_outputs(l) < 0)
		return ce_error_set(err, errno, "container %s: release", l->c->name);
	close_binds(l);
	if (l->lower_fd >= 0)
		close(l->lower_fd);
	l->lower_fd = -1;
	return 0;
}

int launch_wait_ready(struct launch *l, struct ce_error *err)
{
	char msg[512];
	ssize_t n;

	do
		n = read(l->sync_fd, msg, sizeof(msg) - 1);
	while (n < 0 && errno == EINTR);
	if (n == 2 && !memcmp(msg, "OK", 2))
		return 0;
	if (n <= 0)
		return ce_error_set(err, 0, "container %s: stopped during setup", l->c->name);
	msg[n] = '\0';
	return ce_error_set(err, 0, "container %s: %s", l->c->name, msg);
}

void launch_close(struct launch *l)
{
	int *fds[] = { &l->sync_fd, &l->netns_fd, &l->lower_fd, &l->log_r, &l->exit_r, &l->log_w, &l->exit_w,
		       &l->dir_fd, &l->hold_w };

	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	close_binds(l);
	free(l->lower);
	l->lower = NULL;
	plan_container_net_free(&l->net);
}
