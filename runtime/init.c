/* SPDX-License-Identifier: MIT */
/* init.c: the container's pid 1: starts the command, reaps zombies, forwards signals, records the exit status. */
#include "runtime/container.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char **environ;

static char *argv_start;
static size_t argv_len;

void container_set_argv(int argc, char **argv)
{
	if (argc < 1)
		return;
	argv_start = argv[0];
	argv_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
}

/* Show "init" in ps: comm, and the command line the kernel reads from argv's memory. */
static void name_self(void)
{
	prctl(PR_SET_NAME, "init");
	if (argv_start && argv_len > 5) {
		memset(argv_start, 0, argv_len);
		memcpy(argv_start, "init", 5);
	}
}

static void record_exit(int exit_fd, int code)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%d\n", code);

	if (exit_fd >= 0 && pwrite(exit_fd, buf, n, 0) < 0)
		return;
}

static int status_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* In the command's process: plain signal state, no inherited fds, exec. */
static __attribute__((noreturn)) void exec_command(char **argv, char **envp, int err_fd,
						   const sigset_t *old, bool interactive)
{
	char msg[512];

	sigprocmask(SIG_SETMASK, old, NULL);
	if (!interactive)
		setsid();
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	environ = envp;
	execvp(argv[0], argv);
	snprintf(msg, sizeof(msg), "exec %s: %s", argv[0], strerror(errno));
	if (write(err_fd, msg, strlen(msg)) < 0)
		_exit(127);
	_exit(127);
}

/* Start the command; returns its pid after its exec succeeded, else reports and exits. */
static pid_t start_command(char **argv, char **envp, int status_fd, const sigset_t *old, bool interactive)
{
	char msg[512];
	int errpipe[2];
	ssize_t n;
	pid_t pid;

	if (pipe2(errpipe, O_CLOEXEC) < 0)
		_exit(125);
	pid = fork();
	if (pid < 0)
		_exit(125);
	if (pid == 0) {
		close(errpipe[0]);
		exec_command(argv, envp, errpipe[1], old, interactive);
	}
	close(errpipe[1]);
	n = read(errpipe[0], msg, sizeof(msg));
	close(errpipe[0]);
	if (n > 0) {
		if (write(status_fd, msg, n) < 0)
			_exit(127);
		_exit(127);
	}
	return pid;
}

static void forward(int sig, pid_t main_pid, int exit_fd, bool interactive)
{
	if (main_pid > 0) {
		/* on a terminal, ^C and ^\ already reach the command's process group */
		if (!(interactive && (sig == SIGINT || sig == SIGQUIT)))
			kill(main_pid, sig);
		return;
	}
	if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT) {
		record_exit(exit_fd, 0);
		_exit(0);
	}
}

static void reap(pid_t main_pid, int exit_fd)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == main_pid) {
			record_exit(exit_fd, status_code(status));
			_exit(status_code(status));
		}
	}
}

void init_run(char **argv, char **envp, int status_fd, int exit_fd, bool interactive)
{
	sigset_t all, old;
	siginfo_t info;
	pid_t main_pid = 0;

	name_self();
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if (argv && argv[0])
		main_pid = start_command(argv, envp, status_fd, &old, interactive);
	if (write(status_fd, "OK", 2) != 2)
		_exit(125);
	close(status_fd);
	for (;;) {
		if (sigwaitinfo(&all, &info) < 0)
			continue;
		if (info.si_signo == SIGCHLD)
			reap(main_pid, exit_fd);
		else
			forward(info.si_signo, main_pid, exit_fd, interactive);
	}
}
