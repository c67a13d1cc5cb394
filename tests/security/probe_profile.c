/* SPDX-License-Identifier: MIT */
/* probe_profile.c: static helper run inside a container by escape_profile.sh: io_uring, a fork bomb, the root's size, a hostile hostname; prints how each went. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

#define BOMB_MAX 5000	/* past the default pids (4096): the bomb was not stopped (kept small: it runs on shared hosts) */

static char result[64];

/* A ring set up is a way past the filter: io_uring runs calls where seccomp does not look. */
static const char *io_uring_setup_try(void)
{
	struct io_uring_params p = { 0 };
	long fd = syscall(__NR_io_uring_setup, 4, &p);

	if (fd < 0)
		return probe_errno(errno);
	close((int)fd);
	return "ESCAPED";
}

/* On a fd that is no ring: without the filter EBADF, with it EPERM. */
static const char *io_uring_enter_try(void)
{
	long r = syscall(__NR_io_uring_enter, -1, 0, 0, 0, NULL, 0);

	return r >= 0 ? "ESCAPED" : errno == EPERM ? "EPERM" : "reached-the-kernel";
}

static const char *io_uring_register_try(void)
{
	long r = syscall(__NR_io_uring_register, -1, 0, NULL, 0);

	return r >= 0 ? "ESCAPED" : errno == EPERM ? "EPERM" : "reached-the-kernel";
}

/* Fork children that wait until fork fails: how it failed and how many there were. */
static const char *fork_bomb(void)
{
	static pid_t kids[BOMB_MAX];
	int n = 0, err = 0;

	for (; n < BOMB_MAX; n++) {
		kids[n] = fork();
		if (kids[n] == 0) {
			pause();
			_exit(0);
		}
		if (kids[n] < 0) {
			err = errno;
			break;
		}
	}
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	snprintf(result, sizeof(result), "%s %d", n == BOMB_MAX ? "ESCAPED" : probe_errno(err), n);
	return result;
}

/* The most the root tree can take: statfs of an overlay is that of its upper layer. */
static const char *root_capacity(void)
{
	struct statfs st;

	if (statfs("/", &st) < 0)
		return probe_errno(errno);
	snprintf(result, sizeof(result), "%llu", (unsigned long long)st.f_blocks * (unsigned long long)st.f_bsize);
	return result;
}

/* What ps shows: ESC, BEL, a newline, bytes that are not UTF-8, a C1 CSI. */
static const char hostile[] = "\x1b]0;pwned\x07\xff\xfe\xc2\x9b" "31m\x1b[2Jx\nfake-line";	/* ps reads one line */

static const char *write_hostname(void)
{
	int fd = open("/etc/hostname", O_WRONLY | O_TRUNC | O_CREAT, 0644);
	const char *r = "written";

	if (fd < 0 || write(fd, hostile, sizeof(hostile) - 1) != (ssize_t)sizeof(hostile) - 1)
		r = probe_errno(errno);
	if (fd >= 0)
		close(fd);
	return r;
}

static const char *set_hostname(void)
{
	return sethostname(hostile, sizeof(hostile) - 1) == 0 ? "ESCAPED" : probe_errno(errno);
}

static const struct probe_attempt attempts[] = {
	{ "io_uring_setup", io_uring_setup_try }, { "io_uring_enter", io_uring_enter_try },
	{ "io_uring_register", io_uring_register_try }, { "fork_bomb", fork_bomb },
	{ "root_capacity", root_capacity }, { "write_hostname", write_hostname }, { "sethostname", set_hostname },
};

int main(int argc, char **argv)
{
	size_t done = 0;

	for (int a = 1; a < argc; a++)
		if (strcmp(argv[a], "all"))	/* "all" would fork-bomb and rename: each by name only */
			done += probe_run(attempts, PROBE_N(attempts), argv[a]);
	if (!done) {
		fprintf(stderr, "usage: %s ATTEMPT...\n", argv[0]);
		return 2;
	}
	return 0;
}
