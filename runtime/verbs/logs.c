/* SPDX-License-Identifier: MIT */
/* logs.c: `cengine logs`: a container's stdout/stderr from <state>/<container>/log, optionally followed. */
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

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* Offset where the last n lines of fd begin (reads backwards in blocks). */
static off_t tail_offset(int fd, long n)
{
	char buf[4096];
	off_t end = lseek(fd, 0, SEEK_END), pos = end;
	long lines = 0;

	if (n < 0 || n == 0 || end <= 0)
		return n < 0 ? 0 : end;
	while (pos > 0) {
		size_t len = pos < (off_t)sizeof(buf) ? (size_t)pos : sizeof(buf);
		ssize_t got;

		pos -= (off_t)len;
		got = pread(fd, buf, len, pos);
		if (got <= 0)
			return 0;
		for (ssize_t i = got; i-- > 0;) {
			/* the newline that ends the file does not start a line */
			if (buf[i] != '\n' || pos + i == end - 1)
				continue;
			if (++lines == n)
				return pos + i + 1;
		}
	}
	return 0;
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

void logs_tail_path(const char *path, long n, const char *prefix, FILE *out)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_fclose_ FILE *f = NULL;
	char line[1024];

	if (fd < 0 || lseek(fd, tail_offset(fd, n), SEEK_SET) < 0)
		return;
	f = fdopen(steal_fd(&fd), "r");
	while (f && fgets(line, sizeof(line), f))
		fprintf(out, "%s%s%s", prefix, line, strchr(line, '\n') ? "" : "\n");
}

/* -f: until the container's init is gone (or the project is down) or we are stopped. */
static void follow(int fd, const char *project, const char *name, FILE *out)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		_cleanup_free_ struct container_state *v = NULL;
		const struct container_state *s;
		size_t n = 0;

		if (copy_rest(fd, out) > 0)
			continue;
		if (project_state_load(project, &v, &n, NULL) < 0 || !(s = project_state_find(v, n, name)) ||
		    !s->running)
			break;
		poll(NULL, 0, FOLLOW_POLL_MS);
	}
	copy_rest(fd, out);
}

int runtime_logs(const char *project, const char *name, long tail, bool follow_on, FILE *out,
		 struct ce_error *err)
{
	_cleanup_free_ struct container_state *v = NULL;
	_cleanup_close_ int fd = -1;
	char path[STATE_PATH_MAX];
	size_t n = 0;

	if (project_state_load(project, &v, &n, err) < 0)
		return -1;
	if (!journal_exists(project))
		return ce_error_set(err, ESRCH, "project %s is not up", project);
	if (!project_state_find(v, n, name))
		return ce_error_set(err, ENOENT, "project %s has no container %s", project, name);
	if (state_container_path(project, name, STATE_FILE_LOG, path, sizeof(path)) < 0)
		return ce_error_set(err, ENAMETOOLONG, "log of %s in project %s: path too long", name, project);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ce_error_set(err, errno, "open %s", path);
	if (lseek(fd, tail_offset(fd, tail), SEEK_SET) < 0)
		return ce_error_set(err, errno, "seek %s", path);
	copy_rest(fd, out);
	if (follow_on)
		follow(fd, project, name, out);
	return 0;
}
