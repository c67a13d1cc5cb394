/* SPDX-License-Identifier: MIT */
/* bench/floor.c: the kernel work of N containers (and of a fabric of links) without cengine's logic, timed. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <grp.h>
#include <linux/mount.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "util/fdpass.h"

/* What one run does; filled from the command line. */
struct opts {
	int n;			/* containers */
	const char *rootfs;	/* lower layer; must hold /floor-true (a static `true`) */
	const char *bridge;	/* created and deleted by this program */
	uint32_t net;		/* subnet base, host order: .1 is the gateway, .2.. the containers */
	int prefix;
	const char *work;	/* per-container upper/work/root dirs go here */
	char ctls[128];		/* v1 controllers, comma separated */
	uint32_t group;		/* IFLA_GROUP of the host veths: deleted in one request */
	const char *tag;	/* cgroup directory name under each controller */
	int userns;		/* CLONE_NEWUSER, ids 0.. mapped to USERNS_BASE.., rootfs as an idmapped mount */
	int rows, cols;		/* -G RxC: a torus of point-to-point links over the N = R*C containers */
	uint32_t link_net;	/* -l A.B.C.D: link k's ends get link_net + 4k + 1 and + 2, /30 */
	int cycles;		/* -C: back-to-back cycles of bridge, up, down (links deleted by a child) */
};

#define USERNS_BASE 100000u
#define USERNS_COUNT 65536u

/* One container as the parent sees it. */
struct box {
	pid_t pid;
	int sync_w, status_r, netns, lower;	/* lower: the idmapped rootfs tree, or -1 */
};

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static struct opts o = { .prefix = 24, .ctls = "cpu,memory,pids", .tag = "cengine-floor" };

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	fputs("floor: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, saved ? ": %s\n" : "\n", strerror(saved));
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void write_str(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(text);

	if (fd < 0 || write(fd, text, (size_t)len) != len)
		die("write %s to %s", text, path);
	close(fd);
}

/* Each controller in o.ctls, in order: fn(dir of controller). */
static void for_each_ctl(void (*fn)(const char *ctl, void *arg), void *arg)
{
	char list[sizeof(o.ctls)], *save = NULL;

	memcpy(list, o.ctls, sizeof(list));
	for (char *c = strtok_r(list, ",", &save); c; c = strtok_r(NULL, ",", &save))
		fn(c, arg);
}

/* --- cgroups (v1: one directory per controller) */

static void cg_path(char *out, size_t n, const char *ctl, int idx, const char *file)
{
	if (idx < 0)
		snprintf(out, n, "/sys/fs/cgroup/%s/%s%s%s", ctl, o.tag, file ? "/" : "", file ? file : "");
	else
		snprintf(out, n, "/sys/fs/cgroup/%s/%s/c%d%s%s", ctl, o.tag, idx, file ? "/" : "", file ? file : "");
}

static void copy_file(const char *from, const char *to)
{
	char buf[256];
	int fd = open(from, O_RDONLY | O_CLOEXEC);
	ssize_t r = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (r < 0)
		die("read %s", from);
	close(fd);
	buf[r] = '\0';
	write_str(to, buf);
}

/* cpuset needs cpus and mems before a task can join. */
static void cpuset_inherit(const char *dir, const char *parent)
{
	char from[512], to[512];

	snprintf(from, sizeof(from), "%s/cpuset.cpus", parent), snprintf(to, sizeof(to), "%s/cpuset.cpus", dir);
	copy_file(from, to);
	snprintf(from, sizeof(from), "%s/cpuset.mems", parent), snprintf(to, sizeof(to), "%s/cpuset.mems", dir);
	copy_file(from, to);
}

static void parent_mkdir(const char *ctl, void *arg)
{
	char dir[512];

	(void)arg;
	cg_path(dir, sizeof(dir), ctl, -1, NULL);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		die("mkdir %s", dir);
	if (!strcmp(ctl, "cpuset"))
		cpuset_inherit(dir, "/sys/fs/cgroup/cpuset");
}

static void parent_rmdir(const char *ctl, void *arg)
{
	char dir[512];

	(void)arg;
	cg_path(dir, sizeof(dir), ctl, -1, NULL);
	rmdir(dir);
}

/* The limits cengine writes for cpu = 0.5, memory = "50M", pids = 100. */
static void limits(const char *ctl, int idx)
{
	char path[512];

	if (!strcmp(ctl, "cpu")) {
		cg_path(path, sizeof(path), ctl, idx, "cpu.cfs_period_us");
		write_str(path, "100000");
		cg_path(path, sizeof(path), ctl, idx, "cpu.cfs_quota_us");
		write_str(path, "50000");
	} else if (!strcmp(ctl, "memory")) {
		cg_path(path, sizeof(path), ctl, idx, "memory.limit_in_bytes");
		write_str(path, "52428800");
	} else if (!strcmp(ctl, "pids")) {
		cg_path(path, sizeof(path), ctl, idx, "pids.max");
		write_str(path, "100");
	} else if (!strcmp(ctl, "cpuset")) {
		char parent[512];

		cg_path(path, sizeof(path), ctl, idx, NULL);
		cg_path(parent, sizeof(parent), ctl, -1, NULL);
		cpuset_inherit(path, parent);
	}
}

static void box_mkdir(const char *ctl, void *arg)
{
	int idx = *(int *)arg;
	char dir[512];

	cg_path(dir, sizeof(dir), ctl, idx, NULL);
	if (mkdir(dir, 0755) < 0)
		die("mkdir %s", dir);
	limits(ctl, idx);
}

/* The child joins its cgroups itself: the parent opens each controller's `tasks`, the child writes
 * "0" (moves only itself, so the kernel skips its global threadgroup lock and RCU grace period). */
#define MAX_CTLS 16
struct enter_fds {
	int idx, n, fd[MAX_CTLS];
};

static void box_open_tasks(const char *ctl, void *arg)
{
	struct enter_fds *e = arg;
	char path[512];

	if (e->n == MAX_CTLS)
		die("more than %d controllers", MAX_CTLS);
	cg_path(path, sizeof(path), ctl, e->idx, "tasks");
	e->fd[e->n] = open(path, O_WRONLY | O_CLOEXEC);
	if (e->fd[e->n] < 0)
		die("open %s", path);
	e->n++;
}

static void box_rmdir(const char *ctl, void *arg)
{
	char dir[512];

	cg_path(dir, sizeof(dir), ctl, *(int *)arg, NULL);
	if (rmdir(dir) < 0)
		die("rmdir %s", dir);
}

/* --- netlink */

static struct nl_sock *nl_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0)
		die("netlink socket");
	return sk;
}

static struct nl_addr *addr4(uint32_t host_order, int prefix)
{
	uint32_t be = htonl(host_order);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, sizeof(be));

	nl_addr_set_prefixlen(a, prefix);
	return a;
}

static void addr_add(struct nl_sock *sk, int ifindex, uint32_t a, int prefix)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = addr4(a, prefix);
	int rc;

	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_local(ra, local);
	rc = rtnl_addr_add(sk, ra, 0);
	if (rc < 0)
		die("add address on ifindex %d: %s", ifindex, nl_geterror(rc));
	nl_addr_put(local);
	rtnl_addr_put(ra);
}

static void link_up(struct nl_sock *sk, int ifindex)
{
	struct rtnl_link *link = rtnl_link_alloc(), *change = rtnl_link_alloc();
	int rc;

	rtnl_link_set_ifindex(link, ifindex);
	rtnl_link_set_flags(change, IFF_UP);
	rc = rtnl_link_change(sk, link, change, 0);
	if (rc < 0)
		die("set ifindex %d up: %s", ifindex, nl_geterror(rc));
	rtnl_link_put(link);
	rtnl_link_put(change);
}

static void bridge_create(struct nl_sock *sk)
{
	struct rtnl_link *br = rtnl_link_bridge_alloc();
	int rc;

	rtnl_link_set_name(br, o.bridge);
	rtnl_link_set_flags(br, IFF_UP);
	if (o.cycles)	/* deleted with the veths, in one batch */
		rtnl_link_set_group(br, o.group);
	rc = rtnl_link_add(sk, br, NLM_F_CREATE | NLM_F_EXCL);
	if (rc < 0)
		die("create bridge %s: %s", o.bridge, nl_geterror(rc));
	rtnl_link_put(br);
	addr_add(sk, (int)if_nametoindex(o.bridge), o.net + 1, o.prefix);
}

static void link_delete(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link = rtnl_link_alloc();

	rtnl_link_set_name(link, name);
	rtnl_link_delete(sk, link);
	rtnl_link_put(link);
}

/* Host end on the bridge and up; peer "eth0" born in the container's netns. */
static void veth_create(struct nl_sock *sk, int idx, int master, int netns)
{
	struct rtnl_link *host = rtnl_link_veth_alloc(), *peer = rtnl_link_veth_get_peer(host);
	char name[IFNAMSIZ];
	int rc;

	snprintf(name, sizeof(name), "vf%x-%d", o.group & 0xffff, idx);
	rtnl_link_set_name(host, name);
	rtnl_link_set_master(host, master);
	rtnl_link_set_flags(host, IFF_UP);
	rtnl_link_set_group(host, o.group);
	rtnl_link_set_num_tx_queues(host, 1);
	rtnl_link_set_num_rx_queues(host, 1);
	rtnl_link_set_name(peer, "eth0");
	rtnl_link_set_ns_fd(peer, netns);
	rtnl_link_set_num_tx_queues(peer, 1);
	rtnl_link_set_num_rx_queues(peer, 1);
	rc = rtnl_link_add(sk, host, NLM_F_CREATE | NLM_F_EXCL);
	if (rc < 0)
		die("create veth %s: %s", name, nl_geterror(rc));
	rtnl_link_put(host);
}

/* Every host veth of this run in one RTM_DELLINK, as cengine's down does. */
static void delete_group(struct nl_sock *sk)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK);
	int rc;

	nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	nla_put_u32(msg, IFLA_GROUP, o.group);
	rc = nl_send_sync(sk, msg);
	if (rc < 0 && rc != -NLE_NODEV && rc != -NLE_OBJ_NOTFOUND)
		die("delete link group %u: %s", o.group, nl_geterror(rc));
}

static __attribute__((noreturn)) void child_fail(int status_fd, const char *what);

/* --- the fabric: container i = row * cols + col links to its right and its lower neighbour
 * (wrapping), so N containers have 2N links; link k joins a = k / 2 and b (right if k is even). */

static int n_links(void)
{
	return o.rows ? 2 * o.n : 0;
}

static void link_ends(int k, int *a, int *b)
{
	int r = k / 2 / o.cols, c = k / 2 % o.cols;

	*a = k / 2;
	*b = k % 2 ? (r + 1) % o.rows * o.cols + c : r * o.cols + (c + 1) % o.cols;
}

/* One RTM_NEWLINK: end "l<k>a" born in a's netns, its peer "l<k>b" in b's, one queue each (net/link.c). */
static void p2p_create(struct nl_sock *sk, int k, int netns_a, int netns_b)
{
	struct rtnl_link *a = rtnl_link_veth_alloc(), *b = rtnl_link_veth_get_peer(a);
	char name_a[IFNAMSIZ], name_b[IFNAMSIZ];
	int rc;

	snprintf(name_a, sizeof(name_a), "l%da", k), snprintf(name_b, sizeof(name_b), "l%db", k);
	rtnl_link_set_name(a, name_a);
	rtnl_link_set_ns_fd(a, netns_a);
	rtnl_link_set_name(b, name_b);
	rtnl_link_set_ns_fd(b, netns_b);
	rtnl_link_set_num_tx_queues(a, 1), rtnl_link_set_num_rx_queues(a, 1);
	rtnl_link_set_num_tx_queues(b, 1), rtnl_link_set_num_rx_queues(b, 1);
	rc = rtnl_link_add(sk, a, NLM_F_CREATE | NLM_F_EXCL);
	if (rc < 0)
		die("create link %d: %s", k, nl_geterror(rc));
	rtnl_link_put(a);
}

/* In the child: its link ends get their address and go up. */
static void child_links(struct nl_sock *sk, int idx, int status_fd)
{
	char name[IFNAMSIZ];
	int a, b, ifindex;

	for (int k = 0; k < n_links(); k++) {
		link_ends(k, &a, &b);
		if (a != idx && b != idx)
			continue;
		snprintf(name, sizeof(name), "l%d%c", k, a == idx ? 'a' : 'b');
		ifindex = (int)if_nametoindex(name);
		if (!ifindex)
			child_fail(status_fd, "find a link end");
		addr_add(sk, ifindex, o.link_net + 4 * (uint32_t)k + (a == idx ? 1 : 2), 30);
		link_up(sk, ifindex);
	}
}

/* --- the child */

static __attribute__((noreturn)) void child_fail(int status_fd, const char *what)
{
	char msg[256];
	int n = snprintf(msg, sizeof(msg), "%s: %s", what, strerror(errno));

	if (write(status_fd, msg, (size_t)n) < 0)
		_exit(2);
	_exit(2);
}

static void child_network(int idx, int status_fd)
{
	struct nl_sock *sk = nl_open();
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = addr4(0, 0), *gw = addr4(o.net + 1, 32);
	int eth0 = (int)if_nametoindex("eth0");

	if (!eth0)
		child_fail(status_fd, "find eth0");
	link_up(sk, (int)if_nametoindex("lo"));
	addr_add(sk, eth0, o.net + 2 + (uint32_t)idx, o.prefix);
	link_up(sk, eth0);
	rtnl_route_nh_set_ifindex(nh, eth0);
	rtnl_route_nh_set_gateway(nh, gw);
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_dst(rt, dst);
	rtnl_route_add_nexthop(rt, nh);
	if (rtnl_route_add(sk, rt, NLM_F_CREATE) < 0)
		child_fail(status_fd, "add default route");
	child_links(sk, idx, status_fd);
	rtnl_route_put(rt);
	nl_addr_put(dst);
	nl_addr_put(gw);
	nl_socket_free(sk);
}

static void child_rootfs(int idx, int lower, int status_fd)
{
	char opts[4096], root[512], dir[400];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_fail(status_fd, "make / private");
	snprintf(dir, sizeof(dir), "%s/c%d", o.work, idx);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", o.rootfs, dir, dir);
	if (lower >= 0) {
		snprintf(root, sizeof(root), "%s/lower", dir);
		if (syscall(SYS_move_mount, lower, "", AT_FDCWD, root, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			child_fail(status_fd, "attach the idmapped rootfs");
		close(lower);
		snprintf(opts, sizeof(opts), "lowerdir=%s/lower,upperdir=%s/upper,workdir=%s/work,userxattr",
			 dir, dir, dir);
	}
	snprintf(root, sizeof(root), "%s/root", dir);
	if (mount("overlay", root, "overlay", MS_NODEV, opts) < 0)
		child_fail(status_fd, "mount overlay");
	if (chdir(root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		child_fail(status_fd, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		child_fail(status_fd, "detach old root");
}

static __attribute__((noreturn)) void child(int idx, int sync_r, int status_fd, const struct enter_fds *cg)
{
	char host[32];
	char *argv[] = { "true", NULL }, *envp[] = { NULL };
	char go;	/* the release byte, with the idmapped rootfs tree attached when there is one */
	int lower;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (int i = 0; i < cg->n; i++)
		if (write(cg->fd[i], "0", 1) != 1)
			child_fail(status_fd, "join cgroup");
	if (fd_recv(sync_r, &go, &lower) < 0)
		_exit(1);
	if (o.userns && (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		child_fail(status_fd, "become root of the user namespace");
	if (unshare(CLONE_NEWCGROUP) < 0)	/* after we moved into our cgroups */
		child_fail(status_fd, "unshare cgroup namespace");
	child_network(idx, status_fd);
	snprintf(host, sizeof(host), "c%d", idx);
	if (sethostname(host, strlen(host)) < 0)
		child_fail(status_fd, "sethostname");
	child_rootfs(idx, lower, status_fd);
	execve("/floor-true", argv, envp);
	child_fail(status_fd, "exec /floor-true");
}

/* --- the parent */

static void box_dirs(int idx)
{
	static const char *const sub[] = { "", "/upper", "/work", "/root", "/lower" };
	size_t n = o.userns ? 5 : 4;
	char path[512];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/c%d%s", o.work, idx, sub[i]);
		if (mkdir(path, i ? 0755 : 0711) < 0)
			die("mkdir %s", path);
		if (o.userns && i && chown(path, USERNS_BASE, USERNS_BASE) < 0)
			die("chown %s", path);
	}
}

static void write_map(pid_t pid, const char *name)
{
	char path[64], line[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	snprintf(line, sizeof(line), "0 %u %u\n", USERNS_BASE, USERNS_COUNT);
	write_str(path, line);
}

/* Map the ids, and clone the rootfs as a tree idmapped to the container's user namespace. */
static int userns_setup(pid_t pid)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	char path[64];
	int ns, tree;

	write_map(pid, "uid_map");
	write_map(pid, "gid_map");
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	tree = (int)syscall(SYS_open_tree, AT_FDCWD, o.rootfs, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (ns < 0 || tree < 0)
		die("open %s / open_tree %s", path, o.rootfs);
	attr.userns_fd = (uint64_t)ns;
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		die("idmap %s", o.rootfs);
	close(ns);
	return tree;
}

static void box_start(struct nl_sock *sk, int master, int idx, struct box *b)
{
	struct clone_args_v2 args = {
		.flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			 (o.userns ? CLONE_NEWUSER : 0),
		.exit_signal = SIGCHLD,
	};
	struct enter_fds e = { .idx = idx };
	int sync[2], status[2];
	char ns[64];

	for_each_ctl(box_mkdir, &idx);
	for_each_ctl(box_open_tasks, &e);
	box_dirs(idx);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) < 0 || pipe2(status, O_CLOEXEC) < 0)
		die("pipe");
	b->pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (b->pid < 0)
		die("clone3");
	if (b->pid == 0)
		child(idx, sync[0], status[1], &e);
	for (int i = 0; i < e.n; i++)
		close(e.fd[i]);
	close(sync[0]);
	close(status[1]);
	b->sync_w = sync[1], b->status_r = status[0];
	b->lower = o.userns ? userns_setup(b->pid) : -1;
	snprintf(ns, sizeof(ns), "/proc/%d/ns/net", (int)b->pid);
	b->netns = open(ns, O_RDONLY | O_CLOEXEC);
	if (b->netns < 0)
		die("open %s", ns);
	veth_create(sk, idx, master, b->netns);
}

/* The status pipe closes on exec (O_CLOEXEC); anything read is an error line. */
static void box_wait_exec(struct box *b, int idx)
{
	char msg[256];
	ssize_t n = read(b->status_r, msg, sizeof(msg) - 1);

	if (n > 0) {
		msg[n] = '\0';
		errno = 0;
		die("container %d: %s", idx, msg);
	}
	close(b->status_r);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static void box_remove(struct box *b, int idx)
{
	char dir[512];

	if (waitpid(b->pid, NULL, 0) < 0)
		die("waitpid %d", (int)b->pid);
	close(b->netns);
	for_each_ctl(box_rmdir, &idx);
	snprintf(dir, sizeof(dir), "%s/c%d", o.work, idx);
	if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0)
		die("remove %s", dir);
}

static double run_up(struct nl_sock *sk, struct box *boxes)
{
	int master = (int)if_nametoindex(o.bridge);
	double t0 = now_ms();

	int a, b;

	for (int i = 0; i < o.n; i++)
		box_start(sk, master, i, &boxes[i]);
	for (int k = 0; k < n_links(); k++) {
		link_ends(k, &a, &b);
		p2p_create(sk, k, boxes[a].netns, boxes[b].netns);
	}
	for (int i = 0; i < o.n; i++) {
		if (fd_send(boxes[i].sync_w, 'g', boxes[i].lower) < 0)
			die("release %d", i);
		close(boxes[i].sync_w);
		if (boxes[i].lower >= 0)
			close(boxes[i].lower);
	}
	for (int i = 0; i < o.n; i++)
		box_wait_exec(&boxes[i], i);
	return now_ms() - t0;
}

static double run_down(struct nl_sock *sk, struct box *boxes)
{
	double t0 = now_ms();

	delete_group(sk);
	for (int i = 0; i < o.n; i++)
		box_remove(&boxes[i], i);
	return now_ms() - t0;
}

/* Is the bridge or any host veth of this run still listed? (SIOCGIFINDEX looks under RCU, not the RTNL) */
static int any_listed(void)
{
	char name[32];

	if (if_nametoindex(o.bridge))
		return 1;
	for (int i = 0; i < o.n; i++) {
		snprintf(name, sizeof(name), "vf%x-%d", o.group & 0xffff, i);
		if (if_nametoindex(name))
			return 1;
	}
	return 0;
}

/* As cengine's down: a child sends the group's RTM_DELLINK (and waits out the kernel's RCU work);
 * the caller goes on once the links are unlisted. */
static void delete_group_detached(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		struct nl_sock *own = nl_open();

		delete_group(own);
		_exit(0);
	}
	while (any_listed())
		;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* How long an RTM_GETLINK of lo waits for the RTNL (held by a deletion under way), in ms. */
static double rtnl_wait_ms(struct nl_sock *sk)
{
	struct rtnl_link *lo = NULL;
	double t0 = now_ms();

	if (rtnl_link_get_kernel(sk, 0, "lo", &lo) < 0)
		die("get link lo");
	rtnl_link_put(lo);
	return now_ms() - t0;
}

/* -C: bridge, N containers, their teardown and the bridge's, back to back; each cycle's time. */
static void run_cycles(struct nl_sock *sk, struct box *boxes)
{
	double *t = calloc((size_t)o.cycles, sizeof(*t)), sum = 0, rtnl = 0;

	if (!t)
		die("calloc");
	for (int c = 0; c < o.cycles; c++) {
		double t0 = now_ms();

		for_each_ctl(parent_mkdir, NULL);
		bridge_create(sk);
		run_up(sk, boxes);
		delete_group_detached();
		for (int i = 0; i < o.n; i++)
			box_remove(&boxes[i], i);
		for_each_ctl(parent_rmdir, NULL);
		rtnl += rtnl_wait_ms(sk);	/* what the next cycle's first netlink request would wait */
		t[c] = now_ms() - t0;
		sum += t[c];
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (wait(NULL) > 0)
		;
	for (int c = 0; c < o.cycles; c++)	/* each cycle in microseconds, in order */
		printf("%.0f\n", t[c] * 1000);
	qsort(t, (size_t)o.cycles, sizeof(*t), cmp_double);
	printf("n=%d cycles=%d cycle_mean_ms=%.3f cycle_median_ms=%.3f cycle_min_ms=%.3f cycle_max_ms=%.3f "
	       "rtnl_wait_mean_ms=%.3f\n", o.n, o.cycles, sum / o.cycles, t[o.cycles / 2], t[0], t[o.cycles - 1],
	       rtnl / o.cycles);
	free(t);
}

static void usage(void)
{
	fputs("usage: floor -n N -r ROOTFS -b BRIDGE -s A.B.C.0/P -w WORKDIR -g GROUP [-t TAG] [-c CTL,...] [-U]\n"
	      "             [-G RxC -l A.B.C.D] [-C CYCLES]\n"
	      "  N containers: cgroup mkdir + limits, clone3 with new pid/mnt/uts/ipc/net(/user) namespaces,\n"
	      "  veth with its peer created in the namespace on BRIDGE, address + route, overlay of ROOTFS,\n"
	      "  pivot_root, exec of ROOTFS/floor-true; then tear all down. Prints up_ms and down_ms.\n"
	      "  -G RxC (R*C = N): a torus of 2N point-to-point veths, link k's ends A.B.C.D + 4k + 1, + 2 (/30).\n"
	      "  -C CYCLES: that many back-to-back cycles of bridge + up + down, the links deleted by a child\n"
	      "  (as cengine's down) and the next cycle started once they are unlisted; prints each cycle's\n"
	      "  time in microseconds, one a line, then the summary (with the mean wait of an RTM_GETLINK\n"
	      "  sent at each cycle's end for the RTNL the links' deletion holds).\n",
	      stderr);
	exit(2);
}

static void parse_subnet(const char *s)
{
	char buf[32], *slash;
	struct in_addr a;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		o.prefix = atoi(slash + 1);
	}
	if (inet_pton(AF_INET, buf, &a) != 1 || o.prefix < 8 || o.prefix > 30)
		usage();
	o.net = ntohl(a.s_addr);
}

static void parse_args(int argc, char **argv)
{
	int c;

	struct in_addr l;

	while ((c = getopt(argc, argv, "n:r:b:s:w:g:t:c:UG:l:C:")) != -1) {
		switch (c) {
		case 'n': o.n = atoi(optarg); break;
		case 'r': o.rootfs = optarg; break;
		case 'b': o.bridge = optarg; break;
		case 's': parse_subnet(optarg); break;
		case 'w': o.work = optarg; break;
		case 'g': o.group = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 't': o.tag = optarg; break;
		case 'c': snprintf(o.ctls, sizeof(o.ctls), "%s", optarg); break;
		case 'U': o.userns = 1; break;
		case 'C': o.cycles = atoi(optarg); break;
		case 'G':
			if (sscanf(optarg, "%dx%d", &o.rows, &o.cols) != 2)
				usage();
			break;
		case 'l':
			if (inet_pton(AF_INET, optarg, &l) != 1)
				usage();
			o.link_net = ntohl(l.s_addr);
			break;
		default: usage();
		}
	}
	if (o.n < 1 || !o.rootfs || !o.bridge || !o.net || !o.work || !o.group ||
	    (uint32_t)o.n + 2 >= (1u << (32 - o.prefix)))
		usage();
	if (o.rows && (o.rows < 3 || o.cols < 3 || o.rows * o.cols != o.n || !o.link_net))
		usage();
}

int main(int argc, char **argv)
{
	struct box *boxes;
	struct nl_sock *sk;
	double up, down;

	parse_args(argc, argv);
	boxes = calloc((size_t)o.n, sizeof(*boxes));
	if (!boxes)
		die("calloc");
	sk = nl_open();
	if (o.cycles) {
		run_cycles(sk, boxes);
		nl_socket_free(sk);
		free(boxes);
		return 0;
	}
	for_each_ctl(parent_mkdir, NULL);
	bridge_create(sk);
	up = run_up(sk, boxes);
	down = run_down(sk, boxes);
	link_delete(sk, o.bridge);
	for_each_ctl(parent_rmdir, NULL);
	printf("n=%d up_ms=%.3f down_ms=%.3f per_container_ms=%.4f links=%d\n", o.n, up, down, (up + down) / o.n,
	       n_links());
	nl_socket_free(sk);
	free(boxes);
	return 0;
}
