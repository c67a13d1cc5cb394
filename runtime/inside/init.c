/* SPDX-License-Identifier: MIT */
/* init.c: the container's pid 1: starts the command, reaps zombies, forwards signals, records the exit status. */
#include "runtime/inside/container.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "runtime/inside/fixture.h"
#include "util/clock.h"
#include "util/proc.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char **environ;

static char *env_start;
static size_t env_len;

/* The strings of main()'s environment, where the kernel put them (what /proc/PID/environ reads). */
static void set_env(void)
{
	size_t n = 0;

	while (environ && environ[n])
		n++;
	if (!n || environ[n - 1] < environ[0])
		return;
	env_start = environ[0];
	env_len = (size_t)(environ[n - 1] + strlen(environ[n - 1]) + 1 - environ[0]);
}

void container_set_argv(int argc, char **argv)
{
	set_env();
	proc_title_init(argc, argv);
}

/* The environment of the `up` that forked us (a host's secrets, maybe) is wiped: the command got its own. */
static void wipe_env(void)
{
	if (env_start)
		memset(env_start, 0, env_len);
	environ = NULL;
}

#define BACKOFF_FIRST_MS 100		/* restart backoff: 0.1 s, doubling ... */
#define BACKOFF_MAX_MS 10000		/* ... up to 10 s */
#define BACKOFF_RESET_MS 10000		/* a run this long starts the backoff over */

/* The restart policy, carried out here (no host daemon). */
struct supervisor {
	enum restart_policy policy;
	int restarts;			/* ps reads it from the exit file */
	int last_code;			/* status of the last run */
	bool stopping;			/* SIGTERM & co. came: no more restarts */
	unsigned backoff_ms;
	long long started_ms;		/* when the command last started */
	long long restart_at_ms;	/* 0: no restart pending */
};

static struct supervisor sup;

/* "CODE RESTARTS\n" into the exit status pipe, one write (atomic): the log keeper keeps the last
 * one as the exit file (ps and project_state read it). A full pipe (no keeper) drops it. */
static void record_exit(int exit_fd, int code)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d %d\n", code, sup.restarts);

	sup.last_code = code;
	if (exit_fd >= 0 && write(exit_fd, buf, (size_t)n) < 0)
		return;
}

static bool want_restart(int code)
{
	if (sup.stopping || sup.policy == RESTART_NO)
		return false;
	return sup.policy == RESTART_ALWAYS || code != 0;
}

/* Schedule the next start after the backoff. */
static void schedule_restart(void)
{
	long long now = (long long)clock_mono_ms();

	if (!sup.backoff_ms || now - sup.started_ms >= BACKOFF_RESET_MS)
		sup.backoff_ms = BACKOFF_FIRST_MS;
	else if (sup.backoff_ms < BACKOFF_MAX_MS)
		sup.backoff_ms = sup.backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : sup.backoff_ms * 2;
	sup.restart_at_ms = now + sup.backoff_ms;
}

/* Who the command runs as, and where (init_run's; NULL: root in /). */
static const struct run_user *run_as;

/* In the command's process: plain signal state, no inherited fds, its user and workdir, exec. */
static __attribute__((noreturn)) void exec_command(char **argv, char **envp, int err_fd,
						   const sigset_t *old, bool interactive)
{
	char msg[512];

	proc_signals_default();	/* what whoever ran cengine ignored (`&` ignores SIGINT) is not the command's */
	sigprocmask(SIG_SETMASK, old, NULL);
	if (run_as && fixture_user_apply(run_as, msg, sizeof(msg)) < 0) {
		if (write(err_fd, msg, strlen(msg)) < 0)
			_exit(126);
		_exit(126);
	}
	setsid();	/* a session of its own: nothing it does reaches the process group of whoever ran us */
	if (interactive && isatty(0))	/* run -t: the pty made for it is its terminal */
		ioctl(0, TIOCSCTTY, 0);
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	environ = envp;
	execvp(argv[0], argv);
	snprintf(msg, sizeof(msg), "exec %s: %s", argv[0], strerror(errno));
	if (write(err_fd, msg, strlen(msg)) < 0)
		_exit(127);
	_exit(127);
}

/* Why the command did not start: its exit code (127 exec failed, 125 no fork) and a line. */
struct start_failure {
	int code;
	char msg[512];
};

/* Start the command; returns its pid once its exec succeeded, else -1 with *why filled. */
static pid_t start_command(char **argv, char **envp, const sigset_t *old, bool interactive,
			   struct start_failure *why)
{
	int errpipe[2];
	ssize_t n;
	pid_t pid;

	*why = (struct start_failure){ .code = 125 };
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		snprintf(why->msg, sizeof(why->msg), "start %s: pipe: %s", argv[0], strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(errpipe[0]);
		exec_command(argv, envp, errpipe[1], old, interactive);
	}
	if (pid < 0)
		snprintf(why->msg, sizeof(why->msg), "start %s: fork: %s", argv[0], strerror(errno));
	close(errpipe[1]);
	n = pid < 0 ? 0 : read(errpipe[0], why->msg, sizeof(why->msg) - 1);
	close(errpipe[0]);
	if (pid > 0 && n <= 0)
		return pid;
	if (pid > 0) {
		why->code = 127;
		why->msg[n] = '\0';
		waitpid(pid, NULL, 0);	/* it _exited after reporting: no zombie, no SIGCHLD to wait for */
	}
	return -1;
}

static void forward(int sig, pid_t main_pid, int exit_fd)
{
	if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT)
		sup.stopping = true;
	if (main_pid > 0) {
		kill(main_pid, sig);	/* run relays ours; a terminal's ^C reaches the command, not us */
		return;
	}
	if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT) {
		/* no command, or stopped while a restart waited: keep the last run's status */
		record_exit(exit_fd, sup.restart_at_ms ? sup.last_code : 0);
		_exit(0);
	}
}

/* Reap zombies; when the command ended: exit with its status, or (restart
 * policy) record it and schedule the next start: returns 0 then. */
static pid_t reap(pid_t main_pid, int exit_fd)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != main_pid)
			continue;
		record_exit(exit_fd, proc_exit_code(status));
		if (!want_restart(proc_exit_code(status)))
			_exit(proc_exit_code(status));
		schedule_restart();
		main_pid = 0;
	}
	return main_pid;
}

/* Wait for a signal; with a restart pending, only until it is due (-1 then). */
static int next_signal(const sigset_t *all, siginfo_t *info)
{
	struct timespec ts;
	long long left;

	if (!sup.restart_at_ms)
		return sigwaitinfo(all, info);
	left = sup.restart_at_ms - (long long)clock_mono_ms();
	if (left <= 0)
		return -1;
	ts = (struct timespec){ .tv_sec = left / 1000, .tv_nsec = (left % 1000) * 1000000L };
	return sigtimedwait(all, info, &ts);
}

/* A restart that could not start the command counts as a run that failed with
 * its code: logged, recorded, and restarted again after the backoff if the
 * policy wants (status_fd is long closed: up has returned). Returns the pid or 0. */
static pid_t restart_command(char **argv, char **envp, int exit_fd, const sigset_t *old, bool interactive)
{
	struct start_failure why;
	pid_t pid;

	sup.restart_at_ms = 0;
	sup.restarts++;
	sup.started_ms = (long long)clock_mono_ms();
	pid = start_command(argv, envp, old, interactive, &why);
	if (pid > 0)
		return pid;
	dprintf(STDERR_FILENO, "cengine-init: %s\n", why.msg);	/* the container's log */
	record_exit(exit_fd, why.code);
	if (!want_restart(why.code))
		_exit(why.code);
	schedule_restart();
	return 0;
}

static void report_ok(int status_fd)
{
	if (write(status_fd, "OK", 2) != 2)
		_exit(125);
	close(status_fd);
}

/* depends_on: set up and reported, wait for up's byte on hold_fd (its dependencies are ready).
 * EOF: that up failed or is gone, so the command never starts. A stop signal meanwhile ends us. */
static void wait_go(int hold_fd, int exit_fd, const sigset_t *all)
{
	int sfd = signalfd(-1, all, SFD_CLOEXEC);
	struct pollfd pfd[2] = { { .fd = hold_fd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
	struct signalfd_siginfo si;
	char go;

	for (;;) {
		if (poll(pfd, sfd < 0 ? 1 : 2, -1) < 0)
			continue;
		if (pfd[1].revents && read(sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGCHLD &&
		    si.ssi_signo != SIGWINCH) {
			record_exit(exit_fd, 0);	/* stopped before its command ran */
			_exit(0);
		}
		if (!pfd[0].revents)
			continue;
		if (read(hold_fd, &go, 1) == 1)
			break;
		dprintf(STDERR_FILENO, "cengine-init: up ended before this container's dependencies were ready\n");
		record_exit(exit_fd, 125);
		_exit(125);
	}
	close(hold_fd);
	if (sfd >= 0)
		close(sfd);
}

void init_run(char **argv, char **envp, int status_fd, int exit_fd, bool interactive,
	      enum restart_policy restart, const struct run_user *user, int hold_fd)
{
	struct start_failure why;
	sigset_t all, old;
	siginfo_t info;
	pid_t main_pid = 0;

	run_as = user;
	proc_title_set("init");	/* comm and the command line ps shows */
	wipe_env();
	sup.policy = interactive ? RESTART_NO : restart;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if (hold_fd >= 0) {
		report_ok(status_fd);
		wait_go(hold_fd, exit_fd, &all);
	}
	sup.started_ms = (long long)clock_mono_ms();
	if (argv && argv[0] && (main_pid = start_command(argv, envp, &old, interactive, &why)) < 0) {
		if (hold_fd >= 0) {	/* up has gone on: the log and the exit status say it */
			dprintf(STDERR_FILENO, "cengine-init: %s\n", why.msg);
			record_exit(exit_fd, why.code);
		} else if (write(status_fd, why.msg, strlen(why.msg)) < 0) {	/* up reports it and fails */
			_exit(why.code);
		}
		_exit(why.code);
	}
	if (hold_fd < 0)
		report_ok(status_fd);
	for (;;) {
		if (next_signal(&all, &info) < 0) {
			if (sup.restart_at_ms && (long long)clock_mono_ms() >= sup.restart_at_ms && !sup.stopping)
				main_pid = restart_command(argv, envp, exit_fd, &old, interactive);
			continue;
		}
		if (info.si_signo == SIGCHLD)
			main_pid = reap(main_pid, exit_fd);
		else
			forward(info.si_signo, main_pid, exit_fd);
	}
}
