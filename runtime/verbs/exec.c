/* SPDX-License-Identifier: MIT */
/* exec.c: run a command inside a running container (its cgroup and all its namespaces), born in its groups. */
#include "runtime/verbs/verbs.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "model/caps.h"
#include "model/naming.h"
#include "runtime/inside/creds.h"
#include "runtime/inside/environ.h"
#include "runtime/inside/execopts.h"
#include "runtime/inside/syscall_filter.h"
#include "runtime/launch/ulimits.h"
#include "runtime/launch/userns.h"
#include "runtime/present/pty.h"
#include "runtime/present/relay.h"
#include "state/journal.h"
#include "state/project_state.h"
#include "util/cleanup.h"
#include "util/proc.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char **environ;

/* The namespaces we join before the command is cloned, so that it is born in them (the pid namespace is our
 * children's): were it born in ours, a process of the container could read the host's mount table and links
 * through its /proc/PID/mountinfo and net/ until it joined them (no ptrace check guards those). */
#define EXEC_NS_BEFORE (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)
/* The ones the command joins itself, after clone3 CLONE_INTO_CGROUP: that checks our right, as the host's root,
 * to write the groups' common ancestor's cgroup.procs, and that both groups are in our cgroup namespace. */
#define EXEC_NS_AFTER CLONE_NEWCGROUP

/* The running container the command joins: its pid 1 and the group it is born in. */
struct target {
	const char *name;
	int pidfd;		/* its pid 1 */
	int cg_fd;		/* its cgroup2 group for clone3 (CLONE_INTO_CGROUP), or -1: none */
	bool userns;		/* it has a user namespace of its own */
};

static const struct container *find_container(const struct project *p, const char *name)
{
	for (size_t i = 0; i < p->n_containers; i++)
		if (!strcmp(p->containers[i].name, name))
			return &p->containers[i];
	return NULL;
}

/* Its cgroup2 group as t->cg_fd, so that the command is born there: a move through cgroup.procs would take
 * the kernel's global threadgroup lock for writing and wait for an RCU grace period (18 ms measured on an
 * idle host). The v1 hierarchies (all of them where there is no cgroup2 tree): we join them through their
 * `tasks`, which move the calling thread alone, without that lock; the command inherits them at clone, so
 * that a pids limit counts it at birth. */
static int join_cgroup(const struct project *p, struct target *t, struct ce_error *err)
{
	const struct cgroup_ops *cg = cgroup_detect(err);
	struct ce_error none = { 0 };
	int fds[CGROUP_SELF_MAX], n;
	char rel[256];

	if (!cg)
		return -1;
	naming_cgroup(p->name, t->name, rel, sizeof(rel));
	t->cg_fd = cg->open_fd(rel, &none);
	if (t->cg_fd < 0 && none.code != ENOTSUP) {
		*err = none;
		return ce_error_wrap(err, "container %s", t->name);
	}
	n = cg->open_self(rel, t->cg_fd >= 0, fds, err);
	if (n < 0)
		return ce_error_wrap(err, "container %s", t->name);
	if (cgroup_enter_self(fds, (size_t)n) < 0)
		return ce_error_set(err, errno, "container %s: join its cgroup", t->name);
	return 0;
}

/* Ready to clone the command: we join the container's v1 groups and its namespaces but its user and cgroup
 * ones (EXEC_NS_AFTER), and stay the host's root. */
static int join(const struct project *p, const struct container_state *s, struct target *t, struct ce_error *err)
{
	t->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	if (t->pidfd < 0 || !proc_is(s->pid, s->starttime))
		return ce_error_set(err, ESRCH, "container %s is not running", s->name);
	/* until then its mount namespace may not have its root yet: what ran there would see the host's */
	if (!s->started)
		return ce_error_set(err, EAGAIN, "container %s is still starting", s->name);
	t->userns = userns_differs(s->pid);
	if (join_cgroup(p, t, err) < 0)
		return -1;
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);	/* nothing in the container may ptrace or open us or the command */
	if (setns(t->pidfd, EXEC_NS_BEFORE) < 0)
		return ce_error_set(err, errno, "container %s: setns", s->name);
	return 0;
}

/* In the command, born in the container's groups and most of its namespaces: its cgroup namespace, and the
 * root of its user namespace. */
static void enter_namespaces(const struct target *t)
{
	if (setns(t->pidfd, EXEC_NS_AFTER | (t->userns ? CLONE_NEWUSER : 0)) < 0 ||
	    (t->userns && creds_become_root() < 0)) {
		fprintf(stderr, "cengine: exec in %s: enter its namespaces: %s\n", t->name, strerror(errno));
		_exit(126);
	}
}

/* The command's own session, so nothing it does reaches our terminal or process group (TIOCSTI,
 * /dev/tty, kill(0)); as stdio, with -t the pty, else the relay's pipes. It starts with every signal
 * at its default and none blocked: what our caller ignores (a background job's SIGINT) is not its. */
static int own_stdio(struct exec_opts *o, struct relay *io)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	proc_signals_default();
	if (o && o->tty)
		return exec_opts_terminal(o);
	if (setsid() < 0)
		return -1;
	return relay_child(io);
}

/* Capabilities and seccomp from pr, the profile the container was started with. */
static __attribute__((noreturn)) void exec_child(const struct container *c, const struct profile *pr, char **argv,
						 struct exec_opts *o, struct relay *io)
{
	char **envp = own_stdio(o, io) < 0 ? NULL : runtime_environ(c, isatty(0));
	uint64_t caps = pr->caps;

	if (chdir("/") < 0 || !envp || exec_opts_apply(o, &envp) < 0)
		_exit(126);
	if (caps_apply(caps) < 0 || syscall_filter_apply(pr->seccomp, caps >> CAP_SYS_ADMIN & 1) < 0) {
		fprintf(stderr, "cengine: exec in %s: drop privileges: %s\n", c->name, strerror(errno));
		_exit(126);
	}
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	environ = envp;
	execvp(argv[0], argv);
	fprintf(stderr, "cengine: exec %s in %s: %s\n", argv[0], c->name, strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static void target_close(struct target *t)
{
	if (t->pidfd >= 0)
		close(t->pidfd);
	if (t->cg_fd >= 0)
		close(t->cg_fd);
}

/* The file may not be the one the project was started from: what it says about capabilities,
 * seccomp and the user namespace is not obeyed; one line says that it differs. */
static void report_other_profile(const struct project *p, const struct container *c, const struct profile *pr)
{
	uint64_t caps = caps_mask(&c->sec);

	if (caps == pr->caps && (c->sec.seccomp != 0) == pr->seccomp && (c->sec.userns != 0) == pr->userns)
		return;
	fprintf(stderr, "cengine: exec: %s: %s was started with capabilities %llx, seccomp %s, userns %s; "
		"the file's %llx, %s, %s are not applied\n", p->file ? p->file : p->name, c->name,
		(unsigned long long)pr->caps, pr->seccomp ? "on" : "off", pr->userns ? "on" : "off",
		(unsigned long long)caps, c->sec.seccomp != 0 ? "on" : "off", c->sec.userns != 0 ? "on" : "off");
}

int runtime_exec(const struct project *p, const char *name, char **argv, struct exec_opts *o,
		 struct ce_error *err)
{
	_cleanup_free_ struct container_state *v = NULL;
	_cleanup_(relay_close) struct relay io = RELAY_INIT;
	_cleanup_(target_close) struct target t = { .name = name, .pidfd = -1, .cg_fd = -1 };
	const struct container_state *s;
	const struct container *c = find_container(p, name);
	bool tty = o && o->tty;
	size_t n = 0;
	pid_t pid;

	if (!c)
		return ce_error_set(err, ENOENT, "%s: no container %s in project %s", p->file, name, p->name);
	if (project_state_load(p->name, &v, &n, err) < 0)
		return -1;
	s = project_state_find(v, n, name);
	if (!s)
		return ce_error_set(err, ESRCH, "project %s is not up", p->name);
	if (!s->has_profile)
		return ce_error_set(err, EPROTO, "container %s: its journal records no security profile (started by an "
				    "older cengine?); `cengine down` and `up` it again", name);
	report_other_profile(p, c, &s->profile);
	/* its ulimits as its pid 1 has them, set while we are the host's root (which may raise a hard one) */
	if ((tty ? pty_open_in(&o->pty, s->pid, err) : relay_open(&io, err)) < 0 || launch_ulimits(0, c, err) < 0 ||
	    join(p, s, &t, err) < 0)
		return -1;
	pid = proc_clone(0, t.cg_fd);
	if (pid < 0)
		return ce_error_set(err, errno, "container %s: clone3", name);
	if (pid == 0) {
		enter_namespaces(&t);
		exec_child(c, &s->profile, argv, o, &io);
	}
	return tty ? pty_relay(&o->pty, pid) : relay_run(&io, pid);
}
