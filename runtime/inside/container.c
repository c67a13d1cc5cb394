/* SPDX-License-Identifier: MIT */
/* container.c: the cloned child: network, hostname, overlay rootfs, pivot_root, /proc /sys /dev, /etc files. */
#include "runtime/inside/container.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model/caps.h"
#include "net/net.h"
#include "runtime/inside/creds.h"
#include "runtime/inside/dnsfiles.h"
#include "runtime/inside/environ.h"
#include "runtime/inside/fdmount.h"
#include "runtime/inside/fixture.h"
#include "runtime/inside/masks.h"
#include "runtime/inside/resolve.h"
#include "runtime/inside/rootmount.h"
#include "runtime/inside/syscall_filter.h"
#include "util/addr.h"
#include "util/cleanup.h"
#include "util/fdpass.h"

/* Host device nodes bind-mounted into the container's /dev (tty is its own: bind_tty). */
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom" };
#define N_DEV_NODES (sizeof(dev_nodes) / sizeof(dev_nodes[0]))

/* The container's merged root and its fresh /proc and /sys, held while the child sets them up: every
 * path in the tree is resolved beneath tree.root (resolve.h), every mount made by fd (fdmount.h). */
static struct masks_base tree = { -1, -1, -1 };

/* The binds the parent made as detached mounts (sent after the go byte, in the container's order). */
static int *bind_fds;

/* Report one error line to the parent and exit. */
static __attribute__((noreturn, format(printf, 2, 3))) void child_die(int status_fd, const char *fmt, ...)
{
	char msg[512];
	int saved = errno, n;
	va_list ap;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (saved && n > 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(saved));
	if (write(status_fd, msg, strlen(msg)) < 0)
		_exit(125);
	_exit(125);
}

/* One fd the parent sends after the go byte, tagged what. */
static void receive_fd(struct child_args *a, char what, int *fd, const char *name)
{
	char tag;

	if (fd_recv(a->sync_fd, &tag, fd) < 0 || tag != what || *fd < 0)
		child_die(a->status_fd, "receive %s", name);
}

/* The go byte (with the idmapped tree), the binds, then (not interactive) the output pipe's ends and the
 * exit status pipe; the socket stays open: it carries our "OK" or error line back (status_fd). */
static void wait_for_parent(struct child_args *a)
{
	char go;

	if (fd_recv(a->sync_fd, &go, &a->lower_fd) < 0)
		_exit(1);	/* the parent died or gave up before releasing us */
	if (a->c->fx.n_binds && !(bind_fds = calloc(a->c->fx.n_binds, sizeof(*bind_fds))))
		child_die(a->status_fd, "binds");
	for (size_t i = 0; i < a->c->fx.n_binds; i++)
		receive_fd(a, 'b', &bind_fds[i], a->c->fx.binds[i].dst);
	if (!a->interactive) {
		receive_fd(a, 'o', &a->log_fd, "the log pipe");
		receive_fd(a, 'h', &a->log_hold_fd, "the log pipe's read end");
		receive_fd(a, 'x', &a->exit_fd, "the exit status pipe");
	}
	prctl(PR_SET_PDEATHSIG, 0);
	/* enter the state dir while still the host's root (its parents are 0700); relative paths from here */
	if (a->userns && chdir(a->state_dir) < 0)
		child_die(a->status_fd, "chdir %s", a->state_dir);
	if (a->userns)
		a->state_dir = ".";
	if (a->userns && creds_become_root() < 0)
		child_die(a->status_fd, "become root of the user namespace");
}

/* The host's /proc/sys dentries are shared by every netns: a name (eth0, ip_forward) has one hash
 * chain holding that entry of every namespace, so a lookup through it takes O(namespaces): 130 us
 * an open with 1,000 containers up, against 5 us through a procfs of this container's own. The
 * network's sysctls go through one: this mount namespace's /proc overmounted (private first, so
 * nothing reaches the host's); pivot_root drops it with the old root. */
static void own_proc(struct child_args *a)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_die(a->status_fd, "make / private");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		child_die(a->status_fd, "mount a /proc of its own");
}

static void setup_network(struct child_args *a)
{
	struct ce_error err = { 0 };

	if (net_container_apply(a->net, &err) < 0) {
		errno = 0;
		child_die(a->status_fd, "configure network: %s", err.msg);
	}
}

static void mount_overlay(struct child_args *a)
{
	struct ce_error err = { 0 };

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_die(a->status_fd, "make / private");
	tree.root = rootfs_mount(a->state_dir, a->lower, a->lower_fd, a->c->rootfs_kind == ROOTFS_HOST, a->userns,
				  a->c->limits.rw_size, &err);
	if (tree.root < 0) {
		errno = 0;
		child_die(a->status_fd, "rootfs %s: %s%s", container_source(a->c), err.msg,
			  a->userns && !strncmp(err.msg, "overlay", 7)
			  ? " in a user namespace (Linux 5.19 or later; `userns = false` runs without one)" : "");
	}
}

/* Detached clones of the host's device nodes, taken before pivot_root. */
static void grab_dev_nodes(struct child_args *a, int fds[N_DEV_NODES])
{
	char path[64];

	for (size_t i = 0; i < N_DEV_NODES; i++) {
		snprintf(path, sizeof(path), "/dev/%s", dev_nodes[i]);
		fds[i] = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (fds[i] < 0)
			child_die(a->status_fd, "open_tree %s", path);
	}
}

static unsigned int mount_attrs(unsigned long flags)
{
	return (flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) | (flags & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0) |
	       (flags & MS_NODEV ? MOUNT_ATTR_NODEV : 0) | (flags & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0) |
	       (flags & MS_STRICTATIME ? MOUNT_ATTR_STRICTATIME : 0);
}

/* A new file system on DIR of the container's tree: DIR resolved beneath its root, made where missing,
 * never through a symlink (one there fails setup, naming it), mounted by fd. The new mount's fd. */
static int mount_fd_at(struct child_args *a, const char *src, const char *dir, const char *type,
		       unsigned long flags, const char *data)
{
	struct ce_error err = { 0 };
	_cleanup_close_ int target = resolve_dir(tree.root, dir, true, &err);
	int mnt = target < 0 ? -1 : fdmount_fs(target, dir, type, src, data, mount_attrs(flags), &err);

	if (mnt < 0) {
		errno = 0;
		child_die(a->status_fd, "rootfs %s: %s", container_source(a->c), err.msg);
	}
	return mnt;
}

static void mount_at(struct child_args *a, const char *src, const char *dir, const char *type,
		     unsigned long flags, const char *data)
{
	close(mount_fd_at(a, src, dir, type, flags, data));
}

static void enter_root(struct child_args *a)
{
	/* before the host's /proc and /sys go: a user namespace may mount them only while they are visible */
	tree.proc = mount_fd_at(a, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	tree.sys = mount_fd_at(a, "sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (fchdir(tree.root) < 0)
		child_die(a->status_fd, "enter the root tree");
	/* put_old is "." itself: no directory of the tree is used; the old root is detached at once */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		child_die(a->status_fd, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		child_die(a->status_fd, "detach old root");
	if (chdir("/") < 0)
		child_die(a->status_fd, "chdir /");
}

static void populate_dev(struct child_args *a, const int fds[N_DEV_NODES])
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
		{ "pts/ptmx", "/dev/ptmx" },
	};
	char path[64], shm[64];

	for (size_t i = 0; i < N_DEV_NODES; i++) {
		snprintf(path, sizeof(path), "/dev/%s", dev_nodes[i]);
		close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666));
		if (syscall(SYS_move_mount, fds[i], "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			child_die(a->status_fd, "bind %s", path);
		close(fds[i]);
	}
	/* the console is /dev/null unless the container is attached to our terminal */
	close(open("/dev/console", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	if (mount("/dev/null", "/dev/console", NULL, MS_BIND, NULL) < 0)
		child_die(a->status_fd, "bind /dev/console");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlink(links[i][0], links[i][1]) < 0)
			child_die(a->status_fd, "symlink %s", links[i][1]);
	mount_at(a, "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		 "newinstance,ptmxmode=0666,mode=0620");
	snprintf(shm, sizeof(shm), "mode=1777,size=%llu", (unsigned long long)fixture_shm_size(&a->c->fx));
	mount_at(a, "shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, shm);
	mount_at(a, "mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* /dev/tty: the node in the tmpfs the host made for this container (a user namespace can make no
 * device node), never the host's inode; it opens the opener's controlling terminal, which only
 * exec -t and run -t give, a pty of the container's. The tmpfs is attached for as long as the bind takes. */
static void bind_tty(struct child_args *a)
{
	struct ce_error err = { 0 };
	_cleanup_close_ int nodes = -1;

	close(open("/dev/tty", O_WRONLY | O_CREAT | O_CLOEXEC, 0666));
	if (mkdir("/dev/.tty", 0700) < 0 ||
	    syscall(SYS_move_mount, a->tty_tree, "", AT_FDCWD, "/dev/.tty", MOVE_MOUNT_F_EMPTY_PATH) < 0 ||
	    mount("/dev/.tty/tty", "/dev/tty", NULL, MS_BIND, NULL) < 0)
		child_die(a->status_fd, "bind /dev/tty");
	/* the nodes of its devices, from the same tmpfs (devnodes.h) */
	if ((nodes = open("/dev/.tty", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fixture_devices(tree.root, a->c, nodes, &err) < 0) {
		errno = 0;
		child_die(a->status_fd, "%s", err.msg[0] ? err.msg : "devices");
	}
	if (umount2("/dev/.tty", MNT_DETACH) < 0 || rmdir("/dev/.tty") < 0)
		child_die(a->status_fd, "bind /dev/tty");
	close(a->tty_tree);
}

/* The container's tree failed at err: its message to the parent, and exit. */
static __attribute__((noreturn)) void tree_die(struct child_args *a, const struct ce_error *err)
{
	errno = 0;
	child_die(a->status_fd, "rootfs %s: %s", a->c->rootfs, err->msg);
}

/* tmpfs and binds on the container's tree (after its /dev), its sysctls (before /proc/sys is read-only). */
static void mount_fixture(struct child_args *a)
{
	struct ce_error err = { 0 };

	if (fixture_tmpfs(tree.root, a->c, &err) < 0 || fixture_binds(tree.root, a->c, bind_fds, &err) < 0)
		tree_die(a, &err);
	if (fixture_sysctls(tree.proc, a->c, &err) < 0) {
		errno = 0;
		child_die(a->status_fd, "%s", err.msg);
	}
	free(bind_fds);
	bind_fds = NULL;
}

/* The files entries, into the writable layer while it is the only mount of the tree. */
static void write_files(struct child_args *a)
{
	struct ce_error err = { 0 };

	if (fixture_files(tree.root, a->c, &err) < 0)
		tree_die(a, &err);
}

static void mount_filesystems(struct child_args *a)
{
	int fds[N_DEV_NODES];

	grab_dev_nodes(a, fds);
	enter_root(a);
	/* nodev: a node made in /dev cannot be opened; populate_dev binds the host's own nodes there */
	mount_at(a, "dev", "/dev", "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME, "mode=755,size=65536k");
	populate_dev(a, fds);
	bind_tty(a);
}

/* A symlink in the image must not redirect our write: resolved beneath the root, replaced, never followed. */
static void write_file(struct child_args *a, const char *path, const char *text)
{
	struct ce_error err = { 0 };

	if (resolve_write_file(tree.root, path, text, &err) < 0) {
		errno = 0;
		child_die(a->status_fd, "rootfs %s: write %s: %s", container_source(a->c), path, err.msg);
	}
}

/* /etc/hostname, and /etc/hosts: the project's generated lines (a->hosts, built once by up for all its
 * containers: dnsfiles_hosts_names), then this container's extra_hosts. */
static void write_etc(struct child_args *a)
{
	size_t base = strlen(a->hosts), len = base + dnsfiles_hosts_len(&a->c->svc) + 1;
	_cleanup_free_ char *hosts = malloc(len), *resolv = NULL;
	int oom = 0;
	char line[256];

	if (!hosts)
		child_die(a->status_fd, "allocate /etc/hosts");
	snprintf(line, sizeof(line), "%s\n", a->c->hostname);
	write_file(a, "/etc/hostname", line);
	memcpy(hosts, a->hosts, base + 1);
	dnsfiles_hosts_append(hosts + base, len - base, &a->c->svc);	/* after the generated names */
	write_file(a, "/etc/hosts", hosts);
	if ((resolv = dnsfiles_resolv(tree.root, &a->c->svc, &oom)))
		write_file(a, "/etc/resolv.conf", resolv);
	else if (oom)
		child_die(a->status_fd, "allocate /etc/resolv.conf");
}

static void redirect_output(struct child_args *a)
{
	int null;

	if (a->interactive || a->log_fd < 0)
		return;
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(a->log_fd, 1) < 0 || dup2(a->log_fd, 2) < 0)
		child_die(a->status_fd, "redirect output to the log");
	close(null);
	close(a->log_fd);
}

static void mask_paths(struct child_args *a)
{
	struct ce_error err = { 0 };

	if (masks_apply(&tree, &err) < 0) {
		errno = 0;
		child_die(a->status_fd, "%s", err.msg);
	}
}

/* Setup is done: pid 1 and the command keep no fd of the tree. */
static void close_tree(void)
{
	close(tree.root);
	close(tree.proc);
	close(tree.sys);
	tree = (struct masks_base){ -1, -1, -1 };
}

/* Last step before init: capabilities, no_new_privs, seccomp; pid 1 not dumpable
 * (its /proc/1/exe is the host's cengine binary). */
static void drop_privileges(struct child_args *a)
{
	uint64_t caps = caps_mask(&a->c->sec);

	if (caps_apply(caps) < 0)
		child_die(a->status_fd, "limit capabilities");
	if (syscall_filter_apply(a->c->sec.seccomp != 0, caps >> CAP_SYS_ADMIN & 1) < 0)
		child_die(a->status_fd, "seccomp filter");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		child_die(a->status_fd, "not dumpable");
}

/* The command's user and workdir, looked up in the tree; its HOME from the container's /etc/passwd. */
static void find_user(struct child_args *a, struct run_user *u)
{
	struct ce_error err = { 0 };

	if (fixture_user(tree.root, a->c, u, &err) < 0)
		tree_die(a, &err);
}

static void set_home(char **envp, const struct run_user *u, char *const *own_env)
{
	for (char *const *e = own_env; e && *e; e++)
		if (!strncmp(*e, "HOME=", 5))
			return;	/* the file's env sets it */
	for (; u->home[0] && *envp; envp++)
		if (!strncmp(*envp, "HOME=", 5)) {
			*envp = (char *)u->home;
			return;
		}
}

void container_child(struct child_args *a)
{
	_cleanup_free_ char **envp = NULL;
	static struct run_user user;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setsid() < 0)	/* pid 1 in no session of the caller's: its terminal's hangup never reaches it */
		child_die(a->status_fd, "setsid");
	if (a->n_cg_fds && cgroup_enter_self(a->cg_fds, a->n_cg_fds) < 0)
		child_die(a->status_fd, "join cgroup %s", a->c->name);
	wait_for_parent(a);
	redirect_output(a);	/* up: /dev/null and the log as stdio before anything else */
	if (a->need_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		child_die(a->status_fd, "unshare cgroup namespace");
	own_proc(a);
	setup_network(a);
	if (sethostname(a->c->hostname, strlen(a->c->hostname)) < 0)
		child_die(a->status_fd, "sethostname %s", a->c->hostname);
	umask(022);
	mount_overlay(a);
	write_files(a);
	mount_filesystems(a);
	mount_fixture(a);
	mask_paths(a);
	write_etc(a);
	find_user(a, &user);
	close_tree();
	envp = runtime_environ(a->c, a->interactive);
	if (!envp)
		child_die(a->status_fd, "build environment");
	set_home(envp, &user, a->c->env);
	drop_privileges(a);
	init_run(a->c->command, envp, a->status_fd, a->exit_fd, a->interactive, a->c->restart, &user, a->hold_fd);
}
