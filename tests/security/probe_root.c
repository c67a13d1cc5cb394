/* SPDX-License-Identifier: MIT */
/* probe_root.c: static helper run inside containers by escape_root.sh and escape_root_leaks.sh: what a container sees of its kernel file systems and of the host, one attempt a line. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#define PROC_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572

static char out[4096];

/* The whole file (at most len - 1 bytes): its length, or -1 with errno. */
static ssize_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < len - 1 && (n = read(fd, buf + total, len - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return total;
}

/* Each line of a mountinfo file: fn(mount point, fs type, root); stops at a non-NULL answer. */
static const char *each_mount(const char *file,
			      const char *(*fn)(const char *mp, const char *type, const char *root, const char *arg),
			      const char *arg)
{
	FILE *f = fopen(file, "re");
	char line[4096], root[1024], mp[1024], type[64];
	const char *r = NULL;

	if (!f)
		return probe_errno(errno);
	while (!r && fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", root, mp) != 2 || sscanf(dash + 3, "%63s", type) != 1)
			continue;
		r = fn(mp, type, root, arg);
	}
	fclose(f);
	return r;
}

/* --- the container's own kernel file systems (escape_root.sh) */

static const char *fs_is(const char *path, long magic, const char *name)
{
	struct statfs s;

	if (statfs(path, &s) < 0)
		return probe_errno(errno);
	if (s.f_type != magic)
		return snprintf(out, sizeof(out), "ESCAPED:not-%s", name), out;
	return name;
}

/* PATH, when it is a directory (not a symlink) on a file system of MAGIC, goes to found. */
static bool on_fs(const char *path, long magic, char found[][256], int *n)
{
	struct statfs f;
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || statfs(path, &f) < 0 || f.f_type != magic)
		return false;
	snprintf(found[(*n)++], 256, "%s", path);
	return true;
}

/* Directories at most two levels below / (not through symlinks) holding a file system of MAGIC. */
static int find_fs(long magic, char found[][256], int max)
{
	DIR *d = opendir("/"), *d2;
	struct dirent *e, *e2;
	char path[256], sub[256];
	int n = 0;

	while (d && (e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.' || (size_t)snprintf(path, sizeof(path), "/%s", e->d_name) >= sizeof(path) ||
		    on_fs(path, magic, found, &n) || !(d2 = opendir(path)))
			continue;
		while ((e2 = readdir(d2)) && n < max)
			if (e2->d_name[0] != '.' && (size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e2->d_name) < sizeof(sub))
				on_fs(sub, magic, found, &n);
		closedir(d2);
	}
	if (d)
		closedir(d);
	return n;
}

/* A file system of MAGIC mounted anywhere but WHERE (cengine's place for it). */
static const char *elsewhere(long magic, const char *where, const char *name)
{
	char found[16][256];
	int n = find_fs(magic, found, 16);

	for (int i = 0; i < n; i++)
		if (strcmp(found[i], where))
			return snprintf(out, sizeof(out), "ESCAPED:%s-at-%.255s", name, found[i]), out;
	return "none";
}

/* Opened, never written: the host's core_pattern runs as host root. */
static const char *open_for_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return probe_errno(errno);
	close(fd);
	return "ESCAPED";
}

/* core_pattern of every procfs found; the answer for /proc's when none opens. */
static const char *core_pattern(void)
{
	char found[16][256], path[300];
	int n = find_fs(PROC_MAGIC, found, 16);

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%.255s/sys/kernel/core_pattern", found[i]);
		if (!strcmp(open_for_write(path), "ESCAPED"))
			return snprintf(out, sizeof(out), "ESCAPED:%s", path), out;
	}
	return open_for_write("/proc/sys/kernel/core_pattern");
}

/* Where cengine mounts or writes, a symlink means it mounted or wrote somewhere else. */
static const char *setup_paths(void)
{
	static const char *const paths[] = { "/proc", "/sys", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue",
					     "/etc", "/etc/hosts", "/etc/hostname" };
	struct stat st;

	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		if (lstat(paths[i], &st) == 0 && S_ISLNK(st.st_mode))
			return snprintf(out, sizeof(out), "ESCAPED:%s-is-a-symlink", paths[i]), out;
	return "real";
}

static const char *read_only(const char *path)
{
	struct statvfs s;

	if (statvfs(path, &s) < 0)
		return probe_errno(errno);
	return s.f_flag & ST_RDONLY ? "ro" : "ESCAPED:rw";
}

/* Masked: absent, or reads nothing. */
static const char *masked(const char *path)
{
	char buf[64];
	ssize_t n = slurp(path, buf, sizeof(buf));

	if (n < 0)
		return errno == ENOENT || errno == EISDIR ? "masked" : probe_errno(errno);
	return n ? "ESCAPED:readable" : "masked";
}

static void tree(void)
{
	printf("proc_is_procfs %s\n", fs_is("/proc", PROC_MAGIC, "procfs"));
	printf("sys_is_sysfs %s\n", fs_is("/sys", SYSFS_MAGIC, "sysfs"));
	printf("proc_elsewhere %s\n", elsewhere(PROC_MAGIC, "/proc", "procfs"));
	printf("sys_elsewhere %s\n", elsewhere(SYSFS_MAGIC, "/sys", "sysfs"));
	printf("setup_paths %s\n", setup_paths());
	printf("core_pattern %s\n", core_pattern());
	printf("proc_sys_ro %s\n", read_only("/proc/sys"));
	printf("proc_keys %s\n", masked("/proc/keys"));
}

/* --- what a container learns of the host (escape_root_leaks.sh) */

static const char *const own_types[] = { "overlay", "proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "mqueue" };

static const char *mount_one(const char *mp, const char *type, const char *root, const char *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(own_types) / sizeof(*own_types); i++)
		if (!strcmp(type, own_types[i]))
			break;
	/* devtmpfs only as single device nodes bound into /dev (and over masked files), never the directory */
	if (i == sizeof(own_types) / sizeof(*own_types) || (!strcmp(type, "devtmpfs") && !strcmp(root, "/")))
		return snprintf(out, sizeof(out), "ESCAPED:%s-at-%s", type, mp), out;
	return NULL;
}

static const char *mounts(void)
{
	const char *r = each_mount("/proc/self/mountinfo", mount_one, NULL);

	return r ? r : "own";
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Every visible process's comm is one of the container's (a comma-separated list). */
static const char *processes(const char *allowed)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300], comm[64], want[300];

	if (!d)
		return probe_errno(errno);
	while ((e = readdir(d)))
		if (all_digits(e->d_name)) {
			snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
			if (slurp(path, comm, sizeof(comm)) <= 0)
				continue;
			comm[strcspn(comm, "\n")] = '\0';
			snprintf(want, sizeof(want), ",%s,", allowed);
			snprintf(path, sizeof(path), ",%s,", comm);
			if (!strstr(want, path)) {
				snprintf(out, sizeof(out), "ESCAPED:%s(%s)", e->d_name, comm);
				closedir(d);
				return out;
			}
		}
	closedir(d);
	return "own";
}

static const char *host_process(const char *pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%s", pid);
	return access(path, F_OK) < 0 ? probe_errno(errno) : "ESCAPED";
}

static const char *links(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;

	for (i = ifs; i && i->if_name; i++)
		if (strcmp(i->if_name, "lo") && strcmp(i->if_name, "eth0"))
			return snprintf(out, sizeof(out), "ESCAPED:%s", i->if_name), out;
	return ifs ? "lo,eth0" : probe_errno(errno);
}

/* The interfaces in a /proc/PID/net/dev: "lo,eth0" or ESCAPED:NAME for another. */
static const char *links_in(const char *file)
{
	static char buf[16384];
	char *line, *save = NULL, *colon;
	int n = 0;

	if (slurp(file, buf, sizeof(buf)) <= 0)
		return probe_errno(errno);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		colon = strchr(line, ':');
		if (n++ < 2 || !colon)	/* two header lines */
			continue;
		*colon = '\0';
		line += strspn(line, " ");
		if (strcmp(line, "lo") && strcmp(line, "eth0"))
			return snprintf(out, sizeof(out), "ESCAPED:%s", line), out;
	}
	return "lo,eth0";
}

/* Keep the first ESCAPED answer in *kept (a copy of its own). */
static void keep_escape(const char *r, char *kept, size_t n)
{
	if (!strncmp(r, "ESCAPED", 7) && strncmp(kept, "ESCAPED", 7))
		snprintf(kept, n, "%s", r);
}

/* exec's window: until the file stop exists (60 s at most), the processes that come after ours in the
 * container's pid namespace (exec'd commands, as they are born) have their mount table and links read through
 * /proc/PID, the youngest again and again: never the host's. Writes ready once it watches. */
static void exec_window(const char *ready, const char *stop)
{
	static char mounts_r[256] = "own", links_r[256] = "lo,eth0";
	char path[64];
	int last = getpid(), seen = 0;
	time_t end = time(NULL) + 60;

	close(open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	while (access(stop, F_OK) < 0 && time(NULL) < end)
		for (int pid = last - 2; pid <= last + 16; pid++) {
			snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
			if (pid == getpid() || access(path, F_OK) < 0)
				continue;
			seen += pid > last;
			last = pid > last ? pid : last;
			keep_escape(each_mount(path, mount_one, NULL) ?: "own", mounts_r, sizeof(mounts_r));
			snprintf(path, sizeof(path), "/proc/%d/net/dev", pid);
			keep_escape(links_in(path), links_r, sizeof(links_r));
		}
	printf("exec_mounts %s\nexec_links %s\nexec_seen %d\n", mounts_r, links_r, seen);
}

/* Addresses all zero (kptr_restrict), or nothing to read (masked). */
static const char *kallsyms(void)
{
	static char buf[65536];
	ssize_t n = slurp("/proc/kallsyms", buf, sizeof(buf));

	if (n < 0)
		return probe_errno(errno);
	if (n == 0)
		return "masked";
	for (char *l = buf; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
		if (strspn(l, "0") < 16 && isxdigit((unsigned char)*l))
			return "ESCAPED:addresses";
	return "zeros";
}

static const char *dmesg(void)
{
	char buf[256];

	return syscall(SYS_syslog, 3 /* SYSLOG_ACTION_READ_ALL */, buf, (int)sizeof(buf)) < 0 ? probe_errno(errno) : "ESCAPED";
}

static const char *keyring(void)
{
	return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -4 /* user keyring */, 0) < 0 ? probe_errno(errno) : "ESCAPED";
}

/* SECRET in the environment of any process we can read (our own included). */
static const char *environ_of(const char *secret, const char *only)
{
	static char buf[65536];
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300];
	int readable = 0, denied = 0;

	while (d && (e = readdir(d)))
		if (all_digits(e->d_name) && (!only || !strcmp(only, e->d_name))) {
			ssize_t n;

			snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
			n = slurp(path, buf, sizeof(buf));
			if (n < 0) {
				denied = errno;
				continue;
			}
			readable++;
			for (ssize_t i = 0; i < n; i++)
				if (buf[i] == '\0')
					buf[i] = '\n';
			if (strstr(buf, secret)) {
				closedir(d);
				return snprintf(out, sizeof(out), "ESCAPED:%s", path), out;
			}
		}
	if (d)
		closedir(d);
	return readable ? "absent" : denied ? probe_errno(denied) : "absent";
}

/* File descriptors above 2 of the process PID whose targets we can see: ESCAPED:fd->target; else the
 * errno that kept them from us, or "none". */
static const char *fds_of(const char *pid)
{
	char path[600], link[512];
	DIR *f;
	struct dirent *g;
	int denied = 0;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	f = opendir(path);
	if (!f)
		return probe_errno(errno);
	while ((g = readdir(f))) {
		ssize_t n;

		if (!all_digits(g->d_name) || atoi(g->d_name) <= 2)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid, g->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0) {
			denied = errno;	/* its number listed, what it is kept from us */
			continue;
		}
		link[n] = '\0';
		snprintf(out, sizeof(out), "ESCAPED:%s->%s", path, link);
		closedir(f);
		return out;
	}
	closedir(f);
	return denied ? probe_errno(denied) : "none";
}

/* The command's (and any other process's but pid 1 and ours): the first that is not "none". */
static const char *fds_of_others(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char self[16];
	const char *r = "none";

	snprintf(self, sizeof(self), "%d", (int)getpid());
	while (d && (e = readdir(d)) && !strcmp(r, "none"))
		if (all_digits(e->d_name) && strcmp(e->d_name, "1") && strcmp(e->d_name, self))
			r = fds_of(e->d_name);
	if (d)
		closedir(d);
	return r;
}

/* Ours, before we open anything: what `cengine exec` handed over. */
static const char *own_fds(void)
{
	for (int fd = 3; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			return snprintf(out, sizeof(out), "ESCAPED:fd-%d", fd), out;
	return "none";
}

static void leaks(const char *host_pid, const char *secret, const char *comms)
{
	printf("exec_fds %s\n", own_fds());
	printf("host_process %s\n", host_process(host_pid));
	printf("processes %s\n", processes(comms));
	printf("mounts %s\n", mounts());
	printf("links %s\n", links());
	printf("keyring %s\n", keyring());
	printf("proc_keys %s\n", masked("/proc/keys"));
	printf("proc_key_users %s\n", masked("/proc/key-users"));
	printf("kallsyms %s\n", kallsyms());
	printf("dmesg %s\n", dmesg());
	printf("environ %s\n", environ_of(secret, NULL));
	printf("init_environ %s\n", environ_of(secret, "1"));
	printf("command_fds %s\n", fds_of_others());
	printf("init_fds %s\n", fds_of("1"));
	printf("run_cengine %s\n", access("/run/cengine", F_OK) < 0 ? probe_errno(errno) : "ESCAPED");
	printf("var_lib_cengine %s\n", access("/var/lib/cengine", F_OK) < 0 ? probe_errno(errno) : "ESCAPED");
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "tree"))
		tree();
	else if (argc == 5 && !strcmp(argv[1], "leaks"))
		leaks(argv[2], argv[3], argv[4]);
	else if (argc == 4 && !strcmp(argv[1], "exec_window"))
		exec_window(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: %s tree | leaks HOST_PID SECRET COMM,COMM... | exec_window READY STOP\n", argv[0]);
		return 2;
	}
	return 0;
}
