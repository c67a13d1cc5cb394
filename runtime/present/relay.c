/* SPDX-License-Identifier: MIT */
/* relay.c: exec and run without -t: copy our stdin to the command's pipe and its stdout and stderr pipes to ours. */
#include "runtime/present/relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fdpass.h"
#include "util/proc.h"
#include "util/stdio.h"

#define RELAY_BUF 16384

/* Signals sent to us that the command gets instead (SIGCHLD: it exited). */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Our ends must not be 0-2 (we started with one of those closed): the command's dup2 would miss. */
static int above_stdio(int *fd)
{
	int moved;

	if (*fd > 2)
		return 0;
	moved = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
	close(*fd);
	*fd = moved;
	return moved < 0 ? -1 : 0;
}

int relay_open(struct relay *r, struct ce_error *err)
{
	int *ends[] = { &r->in[0], &r->in[1], &r->out[0], &r->out[1], &r->err[0], &r->err[1] };

	if (pipe2(r->in, O_CLOEXEC) < 0 || pipe2(r->out, O_CLOEXEC) < 0 || pipe2(r->err, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "pipes for the command's stdio");
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++)
		if (above_stdio(ends[i]) < 0)
			return ce_error_set(err, errno, "pipes for the command's stdio");
	/* our ends never block the relay: a command that reads no input, one that writes a lot */
	if (fcntl(r->in[1], F_SETFL, O_NONBLOCK) < 0 || fcntl(r->out[0], F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(r->err[0], F_SETFL, O_NONBLOCK) < 0)
		return ce_error_set(err, errno, "pipes for the command's stdio");
	return 0;
}

void relay_close(struct relay *r)
{
	for (int i = 0; i < 2; i++) {
		close_fd(&r->in[i]);
		close_fd(&r->out[i]);
		close_fd(&r->err[i]);
	}
}

int relay_child(struct relay *r)
{
	if (dup2(r->in[0], STDIN_FILENO) < 0 || dup2(r->out[1], STDOUT_FILENO) < 0 || dup2(r->err[1], STDERR_FILENO) < 0)
		return -1;
	relay_close(r);
	return 0;
}

int relay_attach(struct relay *r, int saved[3])
{
	return stdio_swap((const int[3]){ r->in[0], r->out[1], r->err[1] }, saved);
}

void relay_detach(struct relay *r, int saved[3])
{
	stdio_restore(saved);
	close_fd(&r->in[0]);
	close_fd(&r->out[1]);
	close_fd(&r->err[1]);
}

/* The command's stdout or stderr to ours. At its end, or when ours is gone (EPIPE), we close the
 * pipe: its next write gets SIGPIPE, as in a shell pipeline. */
static void copy_out(int *from, int to)
{
	char buf[RELAY_BUF];
	ssize_t n = read(*from, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 || fd_write_all(to, buf, (size_t)n) < 0)
		close_fd(from);
}

/* After the command exited: what it wrote is in the pipe; exactly that much (a background process
 * may write on and on) goes out. */
static void drain(int *from, int to)
{
	char buf[RELAY_BUF];
	int left = 0;

	if (*from >= 0 && ioctl(*from, FIONREAD, &left) < 0)
		left = 0;
	while (left > 0) {
		ssize_t n = read(*from, buf, (size_t)left < sizeof(buf) ? (size_t)left : sizeof(buf));

		if (n <= 0 || fd_write_all(to, buf, (size_t)n) < 0)
			break;
		left -= (int)n;
	}
	close_fd(from);
}

/* Our stdin, read only when what we read last has gone to the command. */
struct input {
	char buf[RELAY_BUF];
	size_t len, off;
	bool eof;
};

static void read_stdin(struct relay *r, struct input *in)
{
	ssize_t n = read(STDIN_FILENO, in->buf, sizeof(in->buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		in->eof = true;	/* the command sees EOF */
		close_fd(&r->in[1]);
		return;
	}
	in->len = (size_t)n, in->off = 0;
}

static void write_stdin(struct relay *r, struct input *in)
{
	ssize_t n = write(r->in[1], in->buf + in->off, in->len - in->off);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {	/* EPIPE: the command closed its stdin; we read no more of ours */
		in->eof = true;
		in->len = in->off = 0;
		close_fd(&r->in[1]);
		return;
	}
	in->off += (size_t)n;
	if (in->off == in->len)
		in->len = in->off = 0;
}

static bool exited(pid_t pid)
{
	siginfo_t si = { 0 };

	return waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

/* Signals that came: forwarded to pid. True once pid exited. */
static bool on_signals(int sfd, pid_t pid)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			kill(pid, (int)si.ssi_signo);
	return exited(pid);
}

enum { P_STDIN, P_IN, P_OUT, P_ERR, P_SIG, P_N };

static void relay_loop(struct relay *r, int sfd, pid_t pid)
{
	struct input in = { .len = 0 };
	struct pollfd p[P_N];

	while (!exited(pid)) {
		bool pending = in.len > in.off;

		p[P_STDIN] = (struct pollfd){ .fd = in.eof || pending ? -1 : STDIN_FILENO, .events = POLLIN };
		p[P_IN] = (struct pollfd){ .fd = pending ? r->in[1] : -1, .events = POLLOUT };
		p[P_OUT] = (struct pollfd){ .fd = r->out[0], .events = POLLIN };
		p[P_ERR] = (struct pollfd){ .fd = r->err[0], .events = POLLIN };
		p[P_SIG] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (poll(p, P_N, sfd < 0 ? 100 : -1) < 0 && errno != EINTR)	/* no signalfd: look again */
			return;
		if (p[P_OUT].revents)
			copy_out(&r->out[0], STDOUT_FILENO);
		if (p[P_ERR].revents)
			copy_out(&r->err[0], STDERR_FILENO);
		if (p[P_STDIN].revents)
			read_stdin(r, &in);
		if (p[P_IN].revents)
			write_stdin(r, &in);
		if (p[P_SIG].revents && on_signals(sfd, pid))
			return;
	}
}

void relay_signals(sigset_t *set)
{
	struct sigaction sa;

	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		if (sigaction(forwarded[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
			sigaddset(set, forwarded[i]);
}

int relay_run(struct relay *r, pid_t pid)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
	struct signalfd_siginfo si;
	_cleanup_close_ int sfd = -1;
	sigset_t set, old;
	int rc;

	close_fd(&r->in[0]);	/* the command's ends: only it holds them now */
	close_fd(&r->out[1]);
	close_fd(&r->err[1]);
	relay_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	sigaction(SIGPIPE, &ign, &old_pipe);	/* a reader that went away is an EPIPE, not our death */
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	relay_loop(r, sfd, pid);
	drain(&r->out[0], STDOUT_FILENO);
	drain(&r->err[0], STDERR_FILENO);
	close_fd(&r->in[1]);
	rc = proc_wait(pid);
	while (sfd >= 0 && read(sfd, &si, sizeof(si)) == sizeof(si))
		;	/* came too late for pid, which is gone: not ours to die of */
	sigaction(SIGPIPE, &old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc < 0 ? 1 : rc;
}
