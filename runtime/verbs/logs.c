/* SPDX-License-Identifier: MIT */
/* logs.c: `cengine logs`: a container's stdout/stderr from <state>/<container>/log and its rotated files, optionally followed. */
#include "runtime/verbs/verbs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/journal.h"
#include "state/paths.h"
#include "state/project_state.h"
#include "util/cleanup.h"

#define FOLLOW_POLL_MS 200
#define REOPEN_TRIES 20		/* a set of files renamed under us is opened again */

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* A container's log files, oldest first: log.N-1 ... log.1, then the live log. */
struct log_set {
	int fd[LOG_MAX_FILES_MAX];
	size_t n;
};

static void log_set_close(struct log_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->fd[i] >= 0)
			close(s->fd[i]);
	s->n = 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

/* Does name k in dir still hold the file fd has open? */
static bool still_named(int dir, int k, int fd)
{
	struct stat a, b;
	char name[32];

	state_log_name(k, name, sizeof(name));
	return fstatat(dir, name, &a, AT_SYMLINK_NOFOLLOW) == 0 && fstat(fd, &b) == 0 && same_file(&a, &b);
}

/* Open log, log.1, ... as one set that no rotation changed while we opened it. 0, or -1 (errno). */
static int log_set_open(int dir, struct log_set *s)
{
	for (int tries = 0; tries < REOPEN_TRIES; tries++) {
		int fd[LOG_MAX_FILES_MAX];
		size_t n = 0;
		bool same = true;
		char name[32];

		for (; n < LOG_MAX_FILES_MAX; n++) {
			state_log_name((int)n, name, sizeof(name));
			if ((fd[n] = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
				break;
		}
		if (n == 0)
			return -1;
		for (size_t k = 0; k < n && same; k++)
			same = still_named(dir, (int)k, fd[k]);
		s->n = n;
		for (size_t k = 0; k < n; k++)
			s->fd[k] = fd[n - 1 - k];
		if (same)
			return 0;
		log_set_close(s);
	}
	errno = EAGAIN;
	return -1;
}

/* Where the last n lines of the set begin (n < 0: all of it): file *at from offset *off. The
 * files are one stream; the newline that ends the stream does not start a line. */
static void tail_start(const struct log_set *s, long n, size_t *at, off_t *off)
{
	char buf[4096];
	bool after = false;	/* a byte comes after the one looked at */
	long lines = 0;

	*at = 0, *off = 0;
	if (n < 0)
		return;
	for (size_t i = s->n; i-- > 0;) {
		off_t pos = lseek(s->fd[i], 0, SEEK_END);

		if (n == 0 && i == s->n - 1) {
			*at = i, *off = pos < 0 ? 0 : pos;
			return;
		}
		while (pos > 0) {
			size_t len = pos < (off_t)sizeof(buf) ? (size_t)pos : sizeof(buf);
			ssize_t got = pread(s->fd[i], buf, len, pos - (off_t)len);

			if (got != (ssize_t)len)
				return;
			pos -= (off_t)len;
			for (ssize_t j = got; j-- > 0; after = true)
				if (buf[j] == '\n' && after && ++lines == n) {
					*at = i, *off = pos + j + 1;
					return;
				}
		}
	}
}

/* Copy fd from its current offset to out; returns bytes copied. */
static ssize_t copy_rest(int fd, FILE *out)
{
	char buf[8192];
	ssize_t n, total = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)n, out);
		total += n;
	}
	fflush(out);
	return total;
}

/* The last n lines (n < 0: all); the live file's fd is left in *live (its offset at its end), or closed. */
static void print_tail(struct log_set *s, long n, FILE *out, int *live)
{
	size_t at;
	off_t off;

	tail_start(s, n, &at, &off);
	for (size_t i = at; i < s->n; i++)
		if (lseek(s->fd[i], i == at ? off : 0, SEEK_SET) >= 0)
			copy_rest(s->fd[i], out);
	if (live) {
		*live = s->fd[s->n - 1];
		s->fd[s->n - 1] = -1;
	}
	log_set_close(s);
}

static int open_dir(const char *project, const char *name)
{
	char dir[STATE_PATH_MAX];

	if (state_container_dir(project, name, dir, sizeof(dir)) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void logs_tail(const char *project, const char *name, long n, const char *prefix, FILE *out)
{
	_cleanup_close_ int dir = open_dir(project, name);
	_cleanup_free_ char *text = NULL;
	struct log_set s = { .n = 0 };
	size_t len = 0;
	FILE *mem;

	if (dir < 0 || log_set_open(dir, &s) < 0 || !(mem = open_memstream(&text, &len))) {
		log_set_close(&s);
		return;
	}
	print_tail(&s, n, mem, NULL);
	fclose(mem);
	for (char *line = text, *end; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		fprintf(out, "%s%.*s\n", prefix, end ? (int)(end - line) : (int)strlen(line), line);
	}
}

/* After a rotation, the file that followed cur's (cur is then complete): an fd, or -1 while cur
 * is still the live log. When cur's file was dropped meanwhile, the oldest one left. */
static int next_file(int dir, int cur)
{
	for (int tries = 0; tries < REOPEN_TRIES; tries++) {
		char name[32];
		bool found = false;
		int k = 1, fd;

		if (still_named(dir, 0, cur))
			return -1;
		for (; k < LOG_MAX_FILES_MAX && !(found = still_named(dir, k, cur)); k++) {
			state_log_name(k, name, sizeof(name));
			if (faccessat(dir, name, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
				break;
		}
		state_log_name(k - 1, name, sizeof(name));	/* ours is log.k; else log.k-1 is the oldest left */
		fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && (!found || still_named(dir, k, cur)))
			return fd;	/* nothing rotated between the look and the open */
		if (fd >= 0)
			close(fd);
	}
	return -1;
}

/* Nothing more will be written to fd: the keeper marked it complete, or there is no keeper. */
static bool log_done(int fd, const char *project)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && (st.st_mode & 0777) == STATE_LOG_MODE_COMPLETE)
		return true;
	return !project_state_keeper_alive(project);
}

static bool running(const char *project, const char *name)
{
	_cleanup_free_ struct container_state *v = NULL;
	const struct container_state *s;
	size_t n = 0;

	return project_state_load(project, &v, &n, NULL) == 0 && (s = project_state_find(v, n, name)) && s->running;
}

/* -f: until the container has stopped and its log is complete, or we are stopped. */
static void follow(int dir, int cur, const char *project, const char *name, FILE *out)
{
	struct sigaction sa = { .sa_handler = on_stop };
	int next;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		if (copy_rest(cur, out) > 0)
			continue;
		if ((next = next_file(dir, cur)) >= 0) {
			copy_rest(cur, out);
			close(cur);
			cur = next;
			continue;
		}
		if (!running(project, name) && log_done(cur, project))
			break;
		poll(NULL, 0, FOLLOW_POLL_MS);
	}
	copy_rest(cur, out);
	close(cur);
}

int runtime_logs(const char *project, const char *name, long tail, bool follow_on, FILE *out,
		 struct ce_error *err)
{
	_cleanup_free_ struct container_state *v = NULL;
	_cleanup_close_ int dir = -1;
	struct log_set s = { .n = 0 };
	size_t n = 0;
	int live = -1;

	if (project_state_load(project, &v, &n, err) < 0)	/* a stopped one: once the keeper wrote all */
		return -1;
	if (!journal_exists(project))
		return ce_error_set(err, ESRCH, "project %s is not up", project);
	if (!project_state_find(v, n, name))
		return ce_error_set(err, ENOENT, "project %s has no container %s", project, name);
	dir = open_dir(project, name);
	if (dir < 0)
		return ce_error_set(err, errno, "log of %s in project %s", name, project);
	if (log_set_open(dir, &s) < 0)
		return ce_error_set(err, errno, "open the log of %s in project %s", name, project);
	print_tail(&s, tail, out, follow_on ? &live : NULL);
	if (follow_on)
		follow(dir, live, project, name, out);
	return 0;
}
