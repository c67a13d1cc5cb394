/* SPDX-License-Identifier: MIT */
/* test_check.c: one check of `cengine test` in a child of its own: its attempts in the source container's netns (a probe) or as exec (run). */
#include "runtime/verbs/test_check.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "state/journal.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/proc.h"

#define OUTPUT_MAX (64 * 1024)	/* bytes of a run check's output kept (and matched) */

static double timeout_of(const struct check *c)
{
	return c->timeout ? c->timeout : CHECK_TIMEOUT_DEFAULT;
}

/* Enter the network namespace of the container's pid 1, checked against its start time. */
static int enter_netns(const struct container_state *s, struct probe_result *r)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);

	if (pidfd < 0 || !proc_is(s->pid, s->starttime) || setns(pidfd, CLONE_NEWNET) < 0) {
		snprintf(r->seen, sizeof(r->seen), "cannot enter the network namespace of %s: %s", s->name,
			 pidfd < 0 || errno == ESRCH ? "it is not running" : strerror(errno));
		return -1;
	}
	return 0;
}

static void probe_once(const struct check *c, const struct sockaddr_storage *dst, struct probe_result *r)
{
	struct probe_ping o = { c->count ? c->count : CHECK_COUNT_DEFAULT, c->max_rtt, c->max_loss };

	if (c->kind == CHECK_PING)
		probe_ping(dst, &o, timeout_of(c), r);
	else if (c->kind == CHECK_TCP)
		probe_tcp(dst, timeout_of(c), r);
	else
		probe_udp(dst, timeout_of(c), r);
}

/* Read out until EOF or the deadline (then kill pid); keep the first OUTPUT_MAX bytes. */
static size_t read_output(int fd, pid_t pid, uint64_t deadline, char *buf, bool *late)
{
	size_t len = 0;
	char skip[4096];

	for (;;) {
		uint64_t now = clock_mono_us();
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (now >= deadline || poll(&p, 1, (int)((deadline - now) / 1000) + 1) == 0) {
			*late = true;
			kill(pid, SIGKILL);
			return len;
		}
		n = len < OUTPUT_MAX ? read(fd, buf + len, OUTPUT_MAX - len) : read(fd, skip, sizeof(skip));
		if (n <= 0 && !(n < 0 && errno == EINTR))
			return len;
		if (n > 0 && len < OUTPUT_MAX)
			len += (size_t)n;
	}
}

/* The end of the output (what a failure message shows), then its exit status. */
static void say_run(struct probe_result *r, const char *out, size_t len, int status, bool late, double timeout)
{
	size_t keep = sizeof(r->seen) - 48;
	const char *tail = len > keep ? out + len - keep : out;

	if (late)
		snprintf(r->seen, sizeof(r->seen), "still running after %gs; output: %s", timeout, tail);
	else
		snprintf(r->seen, sizeof(r->seen), "exit %d; output: %s", status, tail);
}

static void run_once(const struct project *p, const struct check *c, struct probe_result *r)
{
	_cleanup_free_ char *out = calloc(1, OUTPUT_MAX + 1);
	int fds[2], status;
	bool late = false;
	size_t len;
	pid_t pid;

	if (!out || pipe2(fds, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		snprintf(r->seen, sizeof(r->seen), "cannot start: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		struct ce_error e = { 0 };
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (null < 0 || dup2(null, 0) < 0 || dup2(fds[1], 1) < 0 || dup2(fds[1], 2) < 0)
			_exit(125);
		status = runtime_exec(p, p->containers[c->from].name, c->argv, NULL, &e);
		if (status < 0)
			fprintf(stderr, "cengine: %s\n", e.msg);
		_exit(status < 0 ? 125 : status);
	}
	close(fds[1]);
	len = read_output(fds[0], pid, clock_mono_us() + (uint64_t)(timeout_of(c) * 1e6), out, &late);
	close(fds[0]);
	status = proc_wait(pid);
	r->ok = !late && status == 0;
	if (r->ok && c->output) {
		regex_t re;

		r->ok = regcomp(&re, c->output, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) == 0 && regexec(&re, out, 0, NULL, 0) == 0;
		regfree(&re);
	}
	say_run(r, out, len, status, late, timeout_of(c));
	if (status == 0 && !r->ok && !late)
		strncat(r->seen, c->output ? " (no match)" : "", sizeof(r->seen) - strlen(r->seen) - 1);
}

void test_check_child(const struct project *p, const struct check *c, const struct container_state *s,
		      const struct sockaddr_storage *dst, struct probe_result *r)
{
	int attempt = 0;

	if (!s || !s->running) {
		snprintf(r->seen, sizeof(r->seen), "container %s is not running", p->containers[c->from].name);
		return;
	}
	if (c->kind != CHECK_RUN && enter_netns(s, r) < 0)
		return;
	for (;;) {
		uint64_t start = clock_mono_us(), next = start + (uint64_t)(timeout_of(c) * 1e6);

		memset(r, 0, sizeof(*r));
		if (c->kind == CHECK_RUN)
			run_once(p, c, r);
		else
			probe_once(c, dst, r);
		r->attempts = ++attempt;
		if (r->ok != c->expect_fail || attempt > c->retries)
			return;
		/* a refused connect returns at once: the next attempt waits out this one's timeout */
		if (clock_mono_us() < next)
			clock_sleep_ms((unsigned)((next - clock_mono_us()) / 1000));
	}
}
