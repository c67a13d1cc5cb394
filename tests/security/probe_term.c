/* SPDX-License-Identifier: MIT */
/* probe_term.c: static helper run inside a container by escape_term.sh: reach for the caller's terminal and process group, print how it failed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

static FILE *also;	/* -o FILE: every result line is appended there too (ready's stdout is not ours to see) */

/* one result line "PREFIX_ATTEMPT RESULT" on stdout and in the -o file */
static __attribute__((format(printf, 3, 4))) void result(const char *prefix, const char *attempt, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("%s_%s %s\n", prefix, attempt, what);
	fflush(stdout);
	if (also) {
		fprintf(also, "%s_%s %s\n", prefix, attempt, what);
		fflush(also);
	}
}

/* The devpts instance of this container: its own ptys live there, a host terminal does not. */
static dev_t own_devpts(void)
{
	struct stat st;

	return stat("/dev/pts/ptmx", &st) == 0 ? st.st_dev : (dev_t)-1;
}

/* "own" for a terminal of the container's own devpts, "foreign" for any other (the host's) */
static const char *tty_kind(int fd)
{
	struct stat st;

	if (!isatty(fd) || fstat(fd, &st) < 0)
		return NULL;
	return st.st_dev == own_devpts() ? "own" : "foreign";
}

/* Push "touch MARKER-WHERE\n" into the terminal's input: the shell that reads it next runs it. */
static const char *tiocsti(int fd, const char *marker, const char *where)
{
	char line[512];

	snprintf(line, sizeof(line), "touch %s-%s\n", marker, where);
	for (const char *c = line; *c; c++)
		if (ioctl(fd, TIOCSTI, c) < 0)
			return probe_errno(errno);
	return "INJECTED";
}

/* Every terminal among our fds as "FD:own" / "FD:foreign", or "none". */
static void list_tty_fds(const char *prefix)
{
	char list[256] = "";
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);
		const char *kind = e->d_name[0] == '.' || fd == dirfd(d) ? NULL : tty_kind(fd);

		if (kind)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d:%s", *list ? "," : "", fd, kind);
	}
	if (d)
		closedir(d);
	result(prefix, "tty_fds", "%s", *list ? list : "none");
}

/* TIOCSTI on fds 0-2 and on /dev/tty, and which terminals we hold. */
static int inject(const char *prefix, const char *marker)
{
	char name[16];
	int fd;

	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "tiocsti_fd%d", i);
		result(prefix, name, "%s", tiocsti(i, marker, name + 8));
	}
	fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	result(prefix, "open_devtty", "%s", fd < 0 ? probe_errno(errno) : "OPENED");
	if (fd >= 0)
		result(prefix, "tiocsti_devtty", "%s", tiocsti(fd, marker, "devtty"));
	list_tty_fds(prefix);
	return 0;
}

/* Read a terminal for 10 s into out, taking the foreground from the shell (SIGTTOU ignored). */
static void read_terminal(int fd, FILE *out)
{
	time_t end = time(NULL) + 10;
	char buf[256];

	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		tcsetpgrp(fd, getpgrp());
		if (poll(&p, 1, 100) != 1)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			fwrite(buf, 1, (size_t)n, out);
			fflush(out);
		}
	}
}

/* In the background, after the command that started us returned: read what the administrator types next. */
static int steal(const char *prefix, const char *path)
{
	FILE *out;
	int fd = -1;
	pid_t pid = fork();

	if (pid != 0) {
		result(prefix, "steal", "%s", pid < 0 ? probe_errno(errno) : "started");
		return pid < 0;
	}
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	out = fopen(path, "w");
	for (int i = 0; i < 3 && fd < 0; i++)
		if (isatty(i))
			fd = i;
	if (fd < 0)
		fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (!out)
		_exit(1);
	fprintf(out, fd < 0 ? "none\n" : "reading fd %d\n", fd);
	fflush(out);
	if (fd >= 0)
		read_terminal(fd, out);
	_exit(0);
}

/* kill(0) and kill(-1) with SIGTERM: whom they reach is seen from the host (the caller survives). */
static int killgroup(const char *prefix)
{
	signal(SIGTERM, SIG_IGN);
	result(prefix, "kill_group", "%s", kill(0, SIGTERM) < 0 ? probe_errno(errno) : "sent");
	result(prefix, "kill_all", "%s", kill(-1, SIGTERM) < 0 ? probe_errno(errno) : "sent");
	return 0;
}

/* What /dev/tty opened: "own" when it is the terminal on fd 0 (TIOCGDEV) and that is the container's own. */
static const char *devtty_kind(int fd)
{
	const char *k0 = tty_kind(0);
	unsigned int dev;
	struct stat st;

	if (ioctl(fd, TIOCGDEV, &dev) < 0)
		return probe_errno(errno);
	if (!k0 || fstat(0, &st) < 0 || st.st_rdev != (dev_t)dev)
		return "foreign";
	return k0;
}

/* exec -t: fds 0-2 and /dev/tty are the container's own pty; TIOCSTI only feeds that pty. */
static int ownpty(const char *prefix, const char *marker)
{
	const char *k0 = tty_kind(0), *k1 = tty_kind(1), *k2 = tty_kind(2);
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);

	result(prefix, "pty_fds", "%s,%s,%s", k0 ? k0 : "none", k1 ? k1 : "none", k2 ? k2 : "none");
	result(prefix, "devtty", "%s", fd < 0 ? probe_errno(errno) : devtty_kind(fd));
	if (fd >= 0)
		result(prefix, "tiocsti_own", "%s", tiocsti(fd, marker, "pty"));
	return 0;
}

/* /dev/tty: the host's inode (same device as the host's /dev/tty, HOSTDEV)? Set its times to 12345 s after 1970. */
static int devtty(const char *prefix, const char *hostdev)
{
	struct timespec t[2] = { { .tv_sec = 12345 }, { .tv_sec = 12345 } };
	struct stat st;

	if (stat("/dev/tty", &st) < 0)
		result(prefix, "devtty_node", "%s", probe_errno(errno));
	else
		result(prefix, "devtty_node", "%s", st.st_dev == (dev_t)strtoull(hostdev, NULL, 10) ? "host" : "own");
	result(prefix, "touch_devtty", "%s", utimensat(AT_FDCWD, "/dev/tty", t, 0) < 0 ? probe_errno(errno) : "changed");
	return 0;
}

/* The container's command: wait; SIGTERM ends it only from pid 1 (down), not from a probe's kill(-1). */
static void on_term(int sig, siginfo_t *si, void *ctx)
{
	(void)sig, (void)ctx;
	if (si->si_pid == 1)
		_exit(0);
}

static __attribute__((noreturn)) int idle(void)
{
	struct sigaction sa = { .sa_sigaction = on_term, .sa_flags = SA_SIGINFO };

	sigaction(SIGTERM, &sa, NULL);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "-o")) {
		also = fopen(argv[2], "a");
		argv += 2, argc -= 2;
	}
	if (argc == 2 && !strcmp(argv[1], "idle"))
		return idle();
	if (argc == 4 && !strcmp(argv[1], "inject"))
		return inject(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "steal"))
		return steal(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "killgroup"))
		return killgroup(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "ownpty"))
		return ownpty(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "devtty"))
		return devtty(argv[2], argv[3]);
	fprintf(stderr, "usage: %s [-o FILE] inject PREFIX MARKER | steal PREFIX FILE | killgroup PREFIX |\n"
		"       ownpty PREFIX MARKER | devtty PREFIX HOSTDEV | idle\n", argv[0]);
	return 2;
}
