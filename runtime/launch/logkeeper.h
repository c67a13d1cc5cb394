/* SPDX-License-Identifier: MIT */
/* logkeeper.h: the project's one log keeper: a detached host process that drains every container's output pipe into capped, rotated log files. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

/* Each container's stdout and stderr are one pipe (1 MiB): the container holds the write end,
 * the keeper the read end. */
#define LOGKEEPER_PIPE_SIZE (1 << 20)

/* One container's log, as up hands it to the keeper. */
struct logkeeper_log {
	int pipe_r;		/* read end of the container's output pipe */
	int exit_r;		/* read end of its pid 1's exit status pipe: "CODE RESTARTS\n" records */
	int dir_fd;		/* the container's state dir, where log, log.1 ... are */
	uint64_t max_size;	/* bytes per file */
	int max_files;		/* files kept, the live one included */
};

/* Fork the keeper: its own session, stdio on /dev/null, every other fd of ours closed, no
 * capabilities. It reads every pipe with epoll, appends to <dir>/log and rotates it to log.1 ...
 * before it would grow past max_size, keeping max_files; it writes the last exit status record
 * to <dir>/exit (renamed into place); once both pipes of a container reached EOF it marks its log
 * complete (read-only); it exits once every pipe did (every container gone). The fds in logs stay
 * ours to close. *ctl: our end of a socket for logkeeper_sync(). Returns the keeper's pid, or -1
 * with err set. */
pid_t logkeeper_start(const struct logkeeper_log *logs, size_t n, int *ctl, struct ce_error *err);

/* Have the keeper write out everything the pipes hold now (what containers wrote before this
 * call is then in the files). 0, or -1 when it did not answer within timeout_ms. */
int logkeeper_sync(int ctl, int timeout_ms);
