/* SPDX-License-Identifier: MIT */
/* test.c: `cengine test`: run the checks of a project that is up, at most jobs at once, each in a child of its own; results in file order. */
#include "runtime/verbs/verbs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/verbs/test_check.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/proc.h"

#define SLACK_S 5.0	/* beyond its own timeouts, before a check's child is killed */

struct slot {
	pid_t pid;
	int fd;
	size_t check;
	uint64_t start, deadline;
};

struct run {
	const struct project *p;
	const struct container_state *states;
	size_t n_states;
	struct sockaddr_storage *dst;
	struct check_outcome *out;
	bool *done;
	size_t printed;
	int failed;
	const volatile sig_atomic_t *stop;
	check_report_fn report;
	void *ctx;
};

static uint64_t deadline_of(const struct check *c, uint64_t start)
{
	double t = c->timeout ? c->timeout : CHECK_TIMEOUT_DEFAULT;

	return start + (uint64_t)(((t + 1.0) * (c->retries + 1) + SLACK_S) * 1e6);
}

static int start_check(struct run *r, size_t i, struct slot *s, struct ce_error *err)
{
	const struct check *c = &r->p->checks[i];
	const struct container_state *st = project_state_find(r->states, r->n_states, r->p->containers[c->from].name);
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "test: pipe");
	s->pid = fork();
	if (s->pid < 0) {
		close(fds[0]), close(fds[1]);
		return ce_error_set(err, errno, "test: fork");
	}
	if (s->pid == 0) {
		struct probe_result res = { 0 };

		close(fds[0]);
		test_check_child(r->p, c, st, &r->dst[i], &res);
		_exit(write(fds[1], &res, sizeof(res)) == sizeof(res) ? 0 : 1);
	}
	close(fds[1]);
	s->fd = fds[0];
	s->check = i;
	s->start = clock_mono_us();
	s->deadline = deadline_of(c, s->start);
	return 0;
}

/* Report each check that is done and has every one before it done too. */
static void report_in_order(struct run *r)
{
	while (r->printed < r->p->n_checks && r->done[r->printed]) {
		if (r->report)
			r->report(r->p, r->printed, &r->out[r->printed], r->ctx);
		r->printed++;
	}
}

/* The slot's child is done (or late: killed): its result into out, and report what is in order. */
static void finish(struct run *r, struct slot *s, bool late)
{
	struct check_outcome *o = &r->out[s->check];
	struct probe_result res = { 0 };
	ssize_t n = late ? 0 : read(s->fd, &res, sizeof(res));

	if (late)
		kill(s->pid, SIGKILL);
	proc_wait(s->pid);
	close(s->fd);
	s->pid = 0;
	if (n != sizeof(res))
		snprintf(res.seen, sizeof(res.seen), "%s", *r->stop ? "interrupted" : late ? "no result within its timeouts"
											: "the check's process died");
	o->probe_ok = res.ok;
	o->passed = n == sizeof(res) && res.ok != r->p->checks[s->check].expect_fail;
	o->attempts = res.attempts;
	o->seconds = (double)(clock_mono_us() - s->start) / 1e6;
	memcpy(o->seen, res.seen, sizeof(o->seen));
	o->seen[sizeof(o->seen) - 1] = '\0';
	r->failed += !o->passed;
	r->done[s->check] = true;
	report_in_order(r);
}

/* Wait for one of the running children (or the first deadline). */
static void wait_some(struct run *r, struct slot *slots, int jobs)
{
	struct pollfd pfd[jobs];
	uint64_t now = clock_mono_us(), first = UINT64_MAX;
	int k = 0, map[jobs];

	for (int j = 0; j < jobs; j++)
		if (slots[j].pid > 0) {
			pfd[k] = (struct pollfd){ slots[j].fd, POLLIN, 0 };
			map[k++] = j;
			first = slots[j].deadline < first ? slots[j].deadline : first;
		}
	if (poll(pfd, (nfds_t)k, first > now ? (int)((first - now) / 1000) + 1 : 0) < 0 && errno != EINTR)
		return;
	now = clock_mono_us();
	for (int i = 0; i < k; i++)
		if (pfd[i].revents && !*r->stop)
			finish(r, &slots[map[i]], false);
		else if (now >= slots[map[i]].deadline || *r->stop)
			finish(r, &slots[map[i]], true);
}

/* The checks an interruption left unstarted: failed, in order. */
static void not_started(struct run *r, size_t next)
{
	for (size_t i = next; i < r->p->n_checks; i++) {
		snprintf(r->out[i].seen, sizeof(r->out[i].seen), "not run (interrupted)");
		r->failed++;
		r->done[i] = true;
	}
	report_in_order(r);
}

static int schedule(struct run *r, int jobs, struct ce_error *err)
{
	_cleanup_free_ struct slot *slots = calloc((size_t)jobs, sizeof(*slots));
	size_t next = 0, running = 0;
	int rc = 0;

	if (!slots)
		return ce_error_set(err, ENOMEM, "test");
	while (r->printed < r->p->n_checks) {
		running = 0;
		for (int j = 0; j < jobs; j++) {
			if (!slots[j].pid && next < r->p->n_checks && rc == 0 && !*r->stop)
				rc = start_check(r, next++, &slots[j], err);
			running += slots[j].pid > 0;
		}
		if (!running)
			break;
		wait_some(r, slots, jobs);
	}
	if (*r->stop)
		not_started(r, next);
	return rc;
}

int runtime_test(const struct project *p, int jobs, struct check_outcome *out, check_report_fn report, void *ctx,
		 const volatile sig_atomic_t *stop, struct ce_error *err)
{
	_cleanup_free_ struct container_state *states = NULL;
	_cleanup_free_ struct sockaddr_storage *dst = calloc(p->n_checks + 1, sizeof(*dst));
	_cleanup_free_ bool *done = calloc(p->n_checks + 1, sizeof(*done));
	struct run r = { .p = p, .out = out, .report = report, .ctx = ctx, .stop = stop };

	if (!dst || !done)
		return ce_error_set(err, ENOMEM, "test");
	if (project_state_load(p->name, &states, &r.n_states, err) < 0)
		return -1;
	if (!r.n_states)
		return ce_error_set(err, ESRCH, "project %s is not up", p->name);
	for (size_t i = 0; i < p->n_checks; i++)
		if (runtime_check_target(p, &p->checks[i], &dst[i], out[i].target, sizeof(out[i].target), err) < 0)
			return ce_error_wrap(err, "%s:%d: tests", p->file, p->checks[i].line);
	r.states = states, r.dst = dst, r.done = done;
	signal(SIGPIPE, SIG_IGN);
	if (schedule(&r, jobs < 1 ? 1 : jobs, err) < 0)
		return -1;
	return r.failed;
}
