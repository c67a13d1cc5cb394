/* SPDX-License-Identifier: MIT */
/* pty.c: exec -it / run -it: a pty whose slave is the command's terminal, relayed to ours in raw mode. */
#include "runtime/present/pty.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "runtime/present/relay.h"
#include "util/cleanup.h"
#include "util/proc.h"
#include "util/stdio.h"

int pty_open(struct pty *t, struct ce_error *err)
{
	char name[64];

	t->slave = -1;
	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->master < 0)
		return ce_error_set(err, errno, "open /dev/ptmx");
	if (grantpt(t->master) < 0 || unlockpt(t->master) < 0 || ptsname_r(t->master, name, sizeof(name)))
		return ce_error_set(err, errno, "pty");
	t->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->slave < 0)
		return ce_error_set(err, errno, "open %s", name);
	return 0;
}

/* The container's own devpts: <root>/dev/pts/ptmx, resolved inside its root
 * (openat2 RESOLVE_IN_ROOT: no symlink may lead out), checked to be a ptmx. */
static int open_container_ptmx(pid_t pid)
{
	struct open_how how = { .flags = O_RDWR | O_NOCTTY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
	_cleanup_close_ int root = -1, fd = -1;
	char path[64];
	struct statfs sfs;
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/root/dev/pts", (int)pid);
	root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -1;
	fd = (int)syscall(SYS_openat2, root, "ptmx", &how, sizeof(how));
	if (fd < 0 || fstatfs(fd, &sfs) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC || fstat(fd, &st) < 0 ||
	    !S_ISCHR(st.st_mode))
		return -1;
	return steal_fd(&fd);
}

int pty_open_in(struct pty *t, pid_t pid, struct ce_error *err)
{
	struct stat st;
	char path[64];

	t->slave = -1;
	t->master = open_container_ptmx(pid);
	if (t->master < 0)
		return pty_open(t, err);	/* no devpts of its own: one of the host's */
	if (unlockpt(t->master) < 0)
		return ce_error_set(err, errno, "container pty");
	t->slave = ioctl(t->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->slave < 0)
		return ce_error_set(err, errno, "container pty");
	/* the container's root owns its terminal, as a login would make it */
	snprintf(path, sizeof(path), "/proc/%d/root/dev/pts", (int)pid);
	if (stat(path, &st) == 0 && fchown(t->slave, st.st_uid, st.st_gid) < 0)
		return ce_error_set(err, errno, "container pty");
	return 0;
}

void pty_close(struct pty *t)
{
	if (t->master >= 0)
		close(t->master);
	if (t->slave >= 0)
		close(t->slave);
	t->master = t->slave = -1;
}

int pty_make_controlling(struct pty *t)
{
	if (setsid() < 0 || ioctl(t->slave, TIOCSCTTY, 0) < 0)
		return -1;
	if (dup2(t->slave, 0) < 0 || dup2(t->slave, 1) < 0 || dup2(t->slave, 2) < 0)
		return -1;
	close(t->master);
	if (t->slave > 2)
		close(t->slave);
	return 0;
}

static void copy_winsize(int from, int to)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

/* Write all of buf; the other side may be slow. */
static int write_all(int fd, const char *buf, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w, n -= w;
	}
	return 0;
}

/* Move what is readable from `from` to `to`; -1 on EOF or error. */
static int pump(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	return write_all(to, buf, n);
}

/* Drain what the command wrote before it exited (the slave may still be open elsewhere). */
static void drain(int master)
{
	struct pollfd p = { .fd = master, .events = POLLIN };

	while (poll(&p, 1, 50) == 1 && (p.revents & POLLIN) && pump(master, STDOUT_FILENO) == 0)
		;
}

static void relay(struct pty *t, int sfd, pid_t pid)
{
	struct pollfd p[3] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = t->master, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};

	for (;;) {
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[2].revents & POLLIN) {
			struct signalfd_siginfo si;
			int sig = read(sfd, &si, sizeof(si)) == sizeof(si) ? (int)si.ssi_signo : 0;

			if (sig == SIGWINCH)
				copy_winsize(STDIN_FILENO, t->master);
			else if (sig && sig != SIGCHLD)
				kill(pid, sig);	/* kill -TERM of us: the command's */
			if (waitpid(pid, NULL, WNOHANG | WNOWAIT) == pid)
				break;
		}
		if ((p[1].revents & (POLLIN | POLLHUP)) && pump(t->master, STDOUT_FILENO) < 0)
			break;
		if ((p[0].revents & (POLLIN | POLLHUP)) && pump(STDIN_FILENO, t->master) < 0)
			p[0].fd = -1;	/* our stdin ended: the command keeps its terminal */
	}
	drain(t->master);
}

static void discard_pending(const sigset_t *set)
{
	struct timespec now = { 0 };

	while (sigtimedwait(set, NULL, &now) > 0)
		;
}

int pty_relay(struct pty *t, pid_t pid)
{
	struct termios saved, raw;
	bool on_tty = tcgetattr(STDIN_FILENO, &saved) == 0;
	sigset_t set, old;
	_cleanup_close_ int sfd = -1;
	int rc;

	close(t->slave);
	t->slave = -1;
	relay_signals(&set);	/* the command's end, and signals for the command, as without -t */
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (on_tty) {
		copy_winsize(STDIN_FILENO, t->master);
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	relay(t, sfd, pid);
	rc = proc_wait(pid);
	if (rc < 0)
		rc = 1;
	if (on_tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	discard_pending(&set);	/* a signal for the command that came after it ended: not ours to die of */
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int pty_attach(struct pty *t, int saved[3])
{
	if (pty_open(t, NULL) < 0)
		return -1;
	copy_winsize(STDIN_FILENO, t->master);	/* the command may ask before the relay runs */
	return stdio_swap((const int[3]){ t->slave, t->slave, t->slave }, saved);
}
