/* SPDX-License-Identifier: MIT */
/* ready.c: `up` waits until every container's ready command succeeds, or names the one that timed out. */
#include "runtime/present/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/launch/launch.h"
#include "runtime/launch/logkeeper.h"
#include "runtime/verbs/verbs.h"
#include "state/project_state.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/proc.h"

#define RETRY_MS 100
#define LOG_SYNC_MS 1000	/* the keeper answers in microseconds; more means it is gone */

/* One try of c's ready command, like `cengine exec` (a session of its own, pipes), with /dev/null
 * behind the pipes; at most `limit` seconds. Returns its exit status, or -1 when it ran out of time. */
static int try_once(const struct project *p, const struct container *c, double limit)
{
	struct ce_error e = { 0 };
	_cleanup_close_ int pidfd = -1;
	struct pollfd pfd;
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(1);
		status = runtime_exec(p, c->name, c->ready, NULL, &e);
		_exit(status < 0 ? 125 : status);
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	if (pidfd >= 0 && poll(&pfd, 1, (int)(limit * 1000) + 1) == 0) {
		kill(pid, SIGKILL);
		proc_wait(pid);
		return -1;
	}
	status = proc_wait(pid);
	return status < 0 ? 1 : status;
}

static bool still_running(const char *project, const char *name, int *exit_code)
{
	_cleanup_free_ struct container_state *v = NULL;
	const struct container_state *s;
	size_t n = 0;

	siginfo_t si = { 0 };

	if (project_state_load(project, &v, &n, NULL) < 0 || !(s = project_state_find(v, n, name)))
		return false;
	*exit_code = s->exit_code;
	/* the init is our child (up cloned it): once it ended it is a zombie until down */
	if (s->running && waitid(P_PID, s->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == s->pid) {
		*exit_code = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
		return false;
	}
	return s->running;
}

/* Once the keeper wrote out what the container wrote so far (it may lag a pipe behind). */
static void print_log_tail(const struct project *p, int log_ctl, const struct container *c)
{
	logkeeper_sync(log_ctl, LOG_SYNC_MS);
	fprintf(stderr, "cengine: last lines of the log of %s:\n", c->name);
	logs_tail(p->name, c->name, LOG_TAIL_ON_ERROR, "  | ", stderr);
}

static double timeout_of(const struct container *c)
{
	return c->ready_timeout > 0 ? c->ready_timeout : READY_TIMEOUT_DEFAULT;
}

/* Per container: ready yet, and the status of its last try (-1: it ran out of time); a held one
 * (depends_on) is not tried until its command starts, and its timeout counts from then. */
struct waiting {
	bool done;
	bool held;
	int last;
	double start;
};

/* Is container i held, and each container it depends on ready (its ready passed, or it runs and has none)? */
static bool may_go(const struct project *p, const struct waiting *w, size_t i)
{
	const struct service_opts *svc = &p->containers[i].svc;
	size_t k = 0;

	while (w[i].held && k < svc->n_depends && w[svc->depends[k]].done)
		k++;
	return w[i].held && k == svc->n_depends;
}

static bool any_may_go(const struct project *p, const struct waiting *w)
{
	for (size_t i = 0; i < p->n_containers; i++)
		if (may_go(p, w, i))
			return true;
	return false;
}

/* depends_on: start the command of each held container whose dependencies are all ready. */
static int release_held(const struct project *p, struct launch *ls, struct waiting *w, bool progress,
			struct ce_error *err)
{
	for (size_t i = 0; i < p->n_containers; i++) {
		if (!may_go(p, w, i))
			continue;
		if (launch_go(&ls[i], err) < 0)
			return -1;
		w[i] = (struct waiting){ .done = !p->containers[i].ready, .last = -1, .start = clock_mono_s() };
		if (progress)
			progress_line("  %-20s its command started (depends_on ready)", p->containers[i].name);
	}
	return 0;
}

/* One round over the containers still waiting: 1 all ready, 0 not yet, -1 failed. */
static int round_once(const struct project *p, int log_ctl, struct waiting *w, bool progress,
		      struct ce_error *err)
{
	int pending = 0;

	for (size_t i = 0; i < p->n_containers; i++) {
		const struct container *c = &p->containers[i];
		double left = w[i].start + timeout_of(c) - clock_mono_s();
		int code = -1;

		if (w[i].done)
			continue;
		if (w[i].held && ++pending)
			continue;
		if (!still_running(p->name, c->name, &code)) {
			print_log_tail(p, log_ctl, c);
			return ce_error_set(err, 0, "container %s exited (status %d) before it was ready", c->name, code);
		}
		if (left > 0)
			w[i].last = try_once(p, c, left);
		if (w[i].last == 0) {
			w[i].done = true;
			if (progress)
				progress_line("  %-20s ready (%.1f s)", c->name, clock_mono_s() - w[i].start);
			continue;
		}
		if (clock_mono_s() - w[i].start >= timeout_of(c)) {
			char how[32];

			snprintf(how, sizeof(how), w[i].last < 0 ? "still running" : "exit status %d", w[i].last);
			print_log_tail(p, log_ctl, c);
			return ce_error_set(err, 0, "container %s: not ready after %g s (%s: %s)", c->name,
					    timeout_of(c), c->ready[0], how);
		}
		pending++;
	}
	return pending == 0;
}

int ready_wait_all(const struct project *p, struct launch *ls, int log_ctl, bool progress, struct ce_error *err)
{
	_cleanup_free_ struct waiting *w = calloc(p->n_containers ? p->n_containers : 1, sizeof(*w));
	double start = clock_mono_s();
	int rc;

	if (!w)
		return ce_error_set(err, ENOMEM, "ready");
	for (size_t i = 0; i < p->n_containers; i++) {
		bool held = ls && ls[i].hold_w >= 0;

		w[i] = (struct waiting){ .done = !held && !p->containers[i].ready, .held = held, .last = -1, .start = start };
	}
	while ((rc = release_held(p, ls, w, progress, err)) == 0 && (rc = round_once(p, log_ctl, w, progress, err)) == 0)
		if (!any_may_go(p, w))	/* one that just got ready lets another go at once */
			poll(NULL, 0, RETRY_MS);
	return rc < 0 ? -1 : 0;
}
