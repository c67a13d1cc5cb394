/* SPDX-License-Identifier: MIT */
/* probe_disk.c: static helper run as a container's command by escape_disk.sh: tries to reach or fill the host's disk through its stdout and stderr, and prints how each try failed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

/* What fd is: "pipe", or "file" (a host file reached: an escape), or another kind. */
static const char *kind(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return probe_errno(errno);
	if (S_ISFIFO(st.st_mode))
		return "pipe";
	if (S_ISREG(st.st_mode))
		return "ESCAPED(file)";
	return S_ISCHR(st.st_mode) ? "chardev" : S_ISSOCK(st.st_mode) ? "socket" : "other";
}

/* One line "probe ATTEMPT RESULT" to stdout: the probe is the container's command, so its stdout
 * is the container's log, where the test reads it with `cengine logs`. */
static void report(const char *attempt, const char *result)
{
	dprintf(STDOUT_FILENO, "probe %s %s\n", attempt, result);
}

static int do_ftruncate(int fd)
{
	char name[32];

	snprintf(name, sizeof(name), "ftruncate%d", fd);
	report(name, ftruncate(fd, 0) < 0 ? probe_errno(errno) : "ESCAPED(truncated)");
	return 0;
}

/* Grow the host file without writing a byte (no memory, no pipe involved): 1 GiB. */
static int do_fallocate(int fd)
{
	char name[32];

	snprintf(name, sizeof(name), "fallocate%d", fd);
	report(name, fallocate(fd, 0, 0, 1 << 30) < 0 ? probe_errno(errno) : "ESCAPED(allocated)");
	return 0;
}

/* Open the file behind fd again, for writing, truncating it. */
static int do_reopen(int fd)
{
	char path[32], name[32];
	int again;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(name, sizeof(name), "reopen%d", fd);
	again = open(path, O_WRONLY | O_TRUNC);
	report(name, again < 0 ? probe_errno(errno) : kind(again));
	if (again >= 0)
		close(again);
	return 0;
}

/* What fd is, and what its /proc link names: a pipe is "pipe:[ino]", a host file its host path. */
static int do_kind(int fd)
{
	char name[32], path[32], link[256] = "";
	ssize_t n;

	snprintf(name, sizeof(name), "fd%d", fd);
	report(name, kind(fd));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	snprintf(name, sizeof(name), "link%d", fd);
	report(name, n < 0 ? probe_errno(errno) : strncmp(link, "pipe:", 5) ? "ESCAPED(host-path)" : "pipe");
	return 0;
}

/* Write mib MiB of 1 KiB lines to stdout as fast as the pipe takes them, then one line saying how long it took. */
static int do_flood(long mib)
{
	static char line[1024];
	struct timespec a, b;

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < mib * 1024; i++) {
		size_t off = 0;

		while (off < sizeof(line)) {
			ssize_t w = write(STDOUT_FILENO, line + off, sizeof(line) - off);

			if (w < 0) {
				dprintf(STDERR_FILENO, "probe flood %s\n", probe_errno(errno));
				return 1;
			}
			off += (size_t)w;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	dprintf(STDOUT_FILENO, "probe flood done %ld MiB in %ld ms\n", mib,
		(long)((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000));
	return 0;
}

int main(int argc, char **argv)
{
	int fd = argc > 2 ? atoi(argv[2]) : 1;

	if (argc < 2) {
		fprintf(stderr, "usage: probe_disk ftruncate|fallocate|reopen|kind FD | flood MIB\n");
		return 2;
	}
	if (!strcmp(argv[1], "ftruncate"))
		return do_ftruncate(fd);
	if (!strcmp(argv[1], "fallocate"))
		return do_fallocate(fd);
	if (!strcmp(argv[1], "reopen"))
		return do_reopen(fd);
	if (!strcmp(argv[1], "kind"))
		return do_kind(fd);
	if (!strcmp(argv[1], "flood"))
		return do_flood(argc > 2 ? atol(argv[2]) : 100);
	fprintf(stderr, "probe_disk: unknown attempt %s\n", argv[1]);
	return 2;
}
