/* SPDX-License-Identifier: MIT */
/* logkeeper.c: the project's log keeper: one forked host process draining every container's output pipe into capped, rotated logs. */
#include "runtime/launch/logkeeper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/inside/creds.h"
#include "state/paths.h"
#include "util/fdpass.h"
#include "util/proc.h"

#define CHUNK (64 * 1024)	/* one read: the keeper's only buffer */
#define SYNC 's'		/* up -> keeper: write out what the pipes hold; keeper -> up: done */

/* One container's log inside the keeper. */
struct kept {
	int pipe_r, exit_r, dir_fd, file_fd;	/* file_fd -1: the output is dropped (cannot be written) */
	uint64_t size, max_size;	/* of the live file */
	int max_files;
	char rec[32];			/* the start of an exit status record not yet read whole */
	size_t rec_len;
};

/* Where an epoll event comes from: container i's output (2i) or exit status pipe (2i + 1), or up (2n). */
#define EV_LOG(i) (2 * (uint64_t)(i))
#define EV_EXIT(i) (2 * (uint64_t)(i) + 1)

static char buf[CHUNK];

static void open_live(struct kept *k, int flags)
{
	struct stat st;

	k->file_fd = openat(k->dir_fd, STATE_FILE_LOG, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | flags,
			    STATE_LOG_MODE);
	k->size = k->file_fd >= 0 && fstat(k->file_fd, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* log.N-2 -> log.N-1, ..., log -> log.1 (each rename replaces the oldest), then a new empty log.
 * A reader holding the old live file reads it to its end, then finds its successor by name. */
static void rotate(struct kept *k)
{
	char from[32], to[32];

	if (k->file_fd >= 0)
		close(k->file_fd);
	for (int i = k->max_files - 1; i >= 1; i--) {
		state_log_name(i - 1, from, sizeof(from));
		state_log_name(i, to, sizeof(to));
		renameat(k->dir_fd, from, k->dir_fd, to);
	}
	if (k->max_files == 1)
		unlinkat(k->dir_fd, STATE_FILE_LOG, 0);
	open_live(k, O_TRUNC);
}

static void append(struct kept *k, const char *p, size_t len)
{
	while (len && k->file_fd >= 0) {
		ssize_t w = write(k->file_fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;	/* the disk is full, or the dir went away: dropped, the container goes on */
		k->size += (uint64_t)w, p += w, len -= (size_t)w;
	}
}

/* How much of p (len bytes, more than the room left) goes into the live file before it rotates:
 * whole lines where they fit, a line longer than a whole file split at max_size. */
static size_t fitting(const struct kept *k, const char *p, size_t len)
{
	size_t room = k->size < k->max_size ? (size_t)(k->max_size - k->size) : 0;
	const char *nl = room ? memrchr(p, '\n', room < len ? room : len) : NULL;

	if (nl)
		return (size_t)(nl - p) + 1;
	return k->size ? 0 : room;
}

/* Write p to the log: no file ever grows past max_size. */
static void put(struct kept *k, const char *p, size_t len)
{
	while (len) {
		size_t n = k->size + len <= k->max_size ? len : fitting(k, p, len);

		append(k, p, n);
		p += n, len -= n;
		if (len)
			rotate(k);
	}
}

/* One read of at most max bytes from the pipe into the log: the bytes read, 0 when there is
 * nothing now, -1 at EOF (every writer is gone). */
static ssize_t pump(struct kept *k, size_t max)
{
	ssize_t n = read(k->pipe_r, buf, max < sizeof(buf) ? max : sizeof(buf));

	if (n > 0)
		put(k, buf, (size_t)n);
	else if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return n > 0 ? n : -1;
}

/* "CODE RESTARTS\n", two decimal numbers. */
static bool valid_record(const char *r, size_t len)
{
	size_t i = 0, digits = 0;

	while (i < len && r[i] >= '0' && r[i] <= '9')
		i++, digits++;
	if (!digits || digits > 10 || i >= len || r[i++] != ' ')
		return false;
	for (digits = 0; i < len && r[i] >= '0' && r[i] <= '9'; i++)
		digits++;
	return digits && digits <= 10 && i == len - 1 && r[i] == '\n';
}

/* The exit file gets the last whole record (a new file renamed into place: never seen half written). */
static void save_record(const struct kept *k, const char *r, size_t len)
{
	int fd = openat(k->dir_fd, STATE_FILE_EXIT ".new", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return;
	if (write(fd, r, len) == (ssize_t)len)
		renameat(k->dir_fd, STATE_FILE_EXIT ".new", k->dir_fd, STATE_FILE_EXIT);
	close(fd);
}

/* Pid 1's records: 0, or -1 at EOF. */
static int read_records(struct kept *k)
{
	char in[512], last[sizeof(k->rec)];
	size_t last_len = 0;
	ssize_t n = read(k->exit_r, in, sizeof(in));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	for (ssize_t i = 0; i < n; i++) {
		if (k->rec_len < sizeof(k->rec))
			k->rec[k->rec_len] = in[i];
		k->rec_len++;
		if (in[i] != '\n')
			continue;
		if (k->rec_len <= sizeof(k->rec) && valid_record(k->rec, k->rec_len))
			memcpy(last, k->rec, k->rec_len), last_len = k->rec_len;
		k->rec_len = 0;
	}
	if (last_len)
		save_record(k, last, last_len);
	return n > 0 ? 0 : -1;
}

static void close_pipe(int ep, int *fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, *fd, NULL);
	close(*fd);
	*fd = -1;
}

/* One of the container's pipes reached EOF. Once both did, everything it wrote and its last exit
 * status are in the files: its log is marked complete (read-only) for `logs -f`. */
static void finish(int ep, struct kept *k, int *which, size_t *open)
{
	close_pipe(ep, which);
	if (k->pipe_r >= 0 || k->exit_r >= 0)
		return;
	if (k->file_fd >= 0) {
		fchmod(k->file_fd, STATE_LOG_MODE_COMPLETE);
		close(k->file_fd);
	}
	k->file_fd = -1;
	(*open)--;
}

/* Read what each pipe holds right now (FIONREAD), not what is written meanwhile. */
static void drain_all(int ep, struct kept *ks, size_t n, size_t *open)
{
	for (size_t i = 0; i < n; i++) {
		int left = 0;
		ssize_t r = 1;

		if (ks[i].pipe_r < 0 || ioctl(ks[i].pipe_r, FIONREAD, &left) < 0)
			continue;
		while (left > 0 && (r = pump(&ks[i], (size_t)left)) > 0)
			left -= (int)r;
		if (r < 0)
			finish(ep, &ks[i], &ks[i].pipe_r, open);
	}
}

/* up asks for a sync, or closed its end (it is done). Returns the ctl fd to keep watching, or -1. */
static int on_ctl(int ep, int ctl, struct kept *ks, size_t n, size_t *open)
{
	char c;
	ssize_t r = recv(ctl, &c, 1, MSG_DONTWAIT);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return ctl;
	if (r == 1 && c == SYNC) {
		drain_all(ep, ks, n, open);
		if (send(ctl, &c, 1, MSG_NOSIGNAL) == 1)
			return ctl;
	}
	epoll_ctl(ep, EPOLL_CTL_DEL, ctl, NULL);
	close(ctl);
	return -1;
}

/* Until every pipe reached EOF: one read per ready pipe and round, so a flood does not starve the others. */
static __attribute__((noreturn)) void keeper_loop(int ep, int ctl, struct kept *ks, size_t n)
{
	struct epoll_event ev[32];
	size_t open = n;

	while (open) {
		int m = epoll_wait(ep, ev, 32, -1);

		if (m < 0 && errno != EINTR)
			_exit(1);
		for (int i = 0; i < m; i++) {
			uint64_t what = ev[i].data.u64;
			struct kept *k = &ks[what / 2 < n ? what / 2 : 0];

			if (what == EV_LOG(n))
				ctl = on_ctl(ep, ctl, ks, n, &open);
			else if (what % 2 == 0 && k->pipe_r >= 0 && pump(k, sizeof(buf)) < 0)
				finish(ep, k, &k->pipe_r, &open);
			else if (what % 2 == 1 && k->exit_r >= 0 && read_records(k) < 0)
				finish(ep, k, &k->exit_r, &open);
		}
	}
	_exit(0);
}

/* In the forked keeper: detach from up's session and stdio, keep only its own fds, drop privileges. */
static void detach(int *keep, size_t n_keep)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	sigset_t none;

	setsid();
	if (null >= 0) {
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		close(null);
	}
	fd_close_except(keep, n_keep);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	proc_title_set("cengine-logs");
	/* it writes only files of its own (root's, in root's dirs): no capability needed */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	caps_apply(0);
}

static __attribute__((noreturn)) void keeper_main(const struct logkeeper_log *logs, size_t n, int ctl)
{
	struct kept *ks = calloc(n, sizeof(*ks));
	int *keep = calloc(3 * n + 1, sizeof(*keep));
	int ep;

	if (!ks || !keep)
		_exit(1);
	for (size_t i = 0; i < n; i++) {
		ks[i] = (struct kept){ .pipe_r = logs[i].pipe_r, .exit_r = logs[i].exit_r, .dir_fd = logs[i].dir_fd,
				       .max_size = logs[i].max_size, .max_files = logs[i].max_files };
		keep[3 * i] = logs[i].pipe_r, keep[3 * i + 1] = logs[i].exit_r, keep[3 * i + 2] = logs[i].dir_fd;
	}
	keep[3 * n] = ctl;
	detach(keep, 3 * n + 1);
	free(keep);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		_exit(1);
	for (size_t i = 0; i < n; i++) {
		open_live(&ks[i], 0);
		fcntl(ks[i].pipe_r, F_SETFL, O_NONBLOCK);
		fcntl(ks[i].exit_r, F_SETFL, O_NONBLOCK);
		epoll_ctl(ep, EPOLL_CTL_ADD, ks[i].pipe_r, &(struct epoll_event){ .events = EPOLLIN, .data.u64 = EV_LOG(i) });
		epoll_ctl(ep, EPOLL_CTL_ADD, ks[i].exit_r, &(struct epoll_event){ .events = EPOLLIN, .data.u64 = EV_EXIT(i) });
	}
	epoll_ctl(ep, EPOLL_CTL_ADD, ctl, &(struct epoll_event){ .events = EPOLLIN, .data.u64 = EV_LOG(n) });
	keeper_loop(ep, ctl, ks, n);
}

pid_t logkeeper_start(const struct logkeeper_log *logs, size_t n, int *ctl, struct ce_error *err)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return ce_error_set(err, errno, "log keeper: socketpair");
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		keeper_main(logs, n, sv[1]);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return ce_error_set(err, errno, "log keeper: fork");
	}
	*ctl = sv[0];
	return pid;
}

int logkeeper_sync(int ctl, int timeout_ms)
{
	struct pollfd p = { .fd = ctl, .events = POLLIN };
	char c = SYNC;

	if (ctl < 0 || send(ctl, &c, 1, MSG_NOSIGNAL) != 1)
		return -1;
	if (poll(&p, 1, timeout_ms) != 1 || recv(ctl, &c, 1, 0) != 1 || c != SYNC)
		return -1;
	return 0;
}
