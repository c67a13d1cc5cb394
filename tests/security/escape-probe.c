/* SPDX-License-Identifier: MIT */
/* escape-probe.c: static helper run inside a container by escape.sh: tries one way out per attempt and prints how it failed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "probe.h"

static pid_t host_pid;		/* a pid of the host (the test's shell), argv[2] */
static const char *host_path;	/* a path that exists only on the host, argv[3] */

static const char *mount_new_fs(void)
{
	mkdir("/tmp/m", 0755);
	return PROBE_FAILED(mount("none", "/tmp/m", "tmpfs", 0, NULL));
}

static const char *remount_rw(void)
{
	return PROBE_FAILED(mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
}

static const char *write_proc_sys(void)
{
	return PROBE_FAILED(open("/proc/sys/kernel/core_pattern", O_WRONLY));
}

static const char *do_reboot(void)
{
	return PROBE_FAILED(reboot(RB_DISABLE_CAD));
}

static const char *load_module(void)
{
	return PROBE_FAILED(syscall(SYS_finit_module, 0, "", 0));
}

static const char *mknod_block(void)
{
	char buf[512];
	int fd;

	unlink("/tmp/blk");
	if (mknod("/tmp/blk", S_IFBLK | 0600, makedev(8, 0)) < 0)
		return probe_errno(errno);
	fd = open("/tmp/blk", O_RDONLY);
	if (fd < 0)
		return probe_errno(errno);
	return read(fd, buf, sizeof(buf)) > 0 ? "ESCAPED" : probe_errno(errno);
}

static const char *open_dev(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return probe_errno(errno);
	return read(fd, buf, sizeof(buf)) > 0 ? "ESCAPED" : "empty";
}

static const char *read_dev_mem(void) { return open_dev("/dev/mem"); }
static const char *read_dev_kmsg(void) { return open_dev("/dev/kmsg"); }
static const char *read_kcore(void) { return open_dev("/proc/kcore"); }

static const char *see_host_process(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d", (int)host_pid);
	return PROBE_FAILED(access(path, F_OK));
}

static const char *signal_host(void) { return PROBE_FAILED(kill(host_pid, SIGCONT)); }
static const char *ptrace_host(void) { return PROBE_FAILED(ptrace(PTRACE_SEIZE, host_pid, 0, 0)); }

/* Links are listed, never probed: anything but lo and eth0 is a host interface. */
static const char *see_host_link(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;

	for (i = ifs; i && i->if_name; i++)
		if (strcmp(i->if_name, "lo") && strcmp(i->if_name, "eth0"))
			return "ESCAPED";
	return ifs ? "absent" : probe_errno(errno);
}

static const char *handle_at(void)
{
	char h[sizeof(struct file_handle) + 8] = { 0 };

	((struct file_handle *)h)->handle_bytes = 8;
	return PROBE_FAILED(syscall(SYS_open_by_handle_at, AT_FDCWD, (struct file_handle *)h, O_RDONLY));
}

static const char *bpf_load(void)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1 };

	return PROBE_FAILED(syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a)));
}

static const char *keyring(void) { return PROBE_FAILED(syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0)); }

/* chroot into a subdir, climb out with .., chroot again: the host path must still be absent. */
static const char *chroot_twice(void)
{
	mkdir("/tmp/jail", 0755);
	if (chroot("/tmp/jail") < 0)
		return probe_errno(errno);
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			return probe_errno(errno);
	if (chroot(".") < 0)
		return probe_errno(errno);
	return access(host_path, F_OK) == 0 ? "ESCAPED" : probe_errno(errno);
}

/* pid 1 is a fork of the host's cengine: its binary must not open for writing. */
static const char *rewrite_exe(void)
{
	int fd = open("/proc/1/exe", O_PATH);
	char path[64];

	if (fd < 0)
		return probe_errno(errno);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return PROBE_FAILED(open(path, O_WRONLY));
}

static const char *write_self_exe(void) { return PROBE_FAILED(open("/proc/self/exe", O_WRONLY)); }

static const char *raise_cgroup(void)
{
	int fd = open("/sys/fs/cgroup/memory.max", O_WRONLY | O_CREAT, 0644);

	if (fd < 0)
		fd = open("/sys/fs/cgroup/memory/memory.limit_in_bytes", O_WRONLY);
	return fd < 0 ? probe_errno(errno) : "ESCAPED";
}

static const char *setns_other(void)
{
	int fd = (int)syscall(SYS_pidfd_open, host_pid, 0);

	if (fd >= 0 && setns(fd, CLONE_NEWNET) == 0)
		return "ESCAPED";
	fd = open("/proc/1/ns/mnt", O_RDONLY);
	if (fd < 0)
		return probe_errno(errno);
	return PROBE_FAILED(setns(fd, CLONE_NEWNS));
}

static const char *new_userns(void) { return PROBE_FAILED(unshare(CLONE_NEWUSER)); }

static const char *leaked_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (atoi(e->d_name) > 2 && atoi(e->d_name) != dirfd(d))
			n++;
	return n ? "ESCAPED" : "none";
}

static const struct probe_attempt attempts[] = {
	{ "mount_new_fs", mount_new_fs }, { "remount_rw", remount_rw }, { "write_proc_sys", write_proc_sys },
	{ "reboot", do_reboot }, { "load_module", load_module }, { "mknod_block", mknod_block },
	{ "read_dev_mem", read_dev_mem }, { "read_dev_kmsg", read_dev_kmsg }, { "read_proc_kcore", read_kcore },
	{ "see_host_process", see_host_process }, { "signal_host", signal_host }, { "ptrace_host", ptrace_host },
	{ "see_host_link", see_host_link }, { "open_by_handle_at", handle_at }, { "bpf", bpf_load },
	{ "keyctl", keyring }, { "chroot_twice", chroot_twice }, { "rewrite_init_exe", rewrite_exe },
	{ "write_self_exe", write_self_exe }, { "raise_cgroup", raise_cgroup }, { "setns_other", setns_other },
	{ "new_userns", new_userns }, { "leaked_fds", leaked_fds },
};

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s ATTEMPT|all HOST_PID HOST_PATH\n", argv[0]);
		return 2;
	}
	host_pid = atoi(argv[2]);
	host_path = argv[3];
	probe_run(attempts, PROBE_N(attempts), argv[1]);
	return 0;
}
