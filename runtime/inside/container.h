/* SPDX-License-Identifier: MIT */
/* container.h: what the cloned child does before it becomes the container's pid 1. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup/cgroup.h"
#include "model/project.h"
#include "net/net.h"
#include "runtime/inside/fixture.h"

/* Everything the child needs, prepared by the parent before clone. */
struct child_args {
	const struct project *project;
	const struct container *c;
	const struct net_container_desc *net;	/* the container's network, planned by the parent */
	const char *hosts;	/* the project's generated /etc/hosts lines (dnsfiles_hosts_names) */
	const char *state_dir;	/* /run/cengine/<project>/<container>: the mount point of its tmpfs */
	int sync_fd;		/* socket: parent sends one byte (and fds) when cgroup+veth are ready */
	int status_fd;		/* the same socket: "OK" or an error line for the parent */
	int log_fd;		/* stdout/stderr of the container: a pipe's write end, sent at release (-1: keep ours) */
	int log_hold_fd;	/* its read end, which pid 1 keeps open and never reads (-1: none) */
	int exit_fd;		/* pipe (non-blocking) for the command's exit statuses, sent at release; -1: none */
	int cg_fds[CGROUP_SELF_MAX];	/* v1: the group's `tasks` file in each hierarchy; the child moves itself first */
	size_t n_cg_fds;
	bool need_cgroupns;	/* unshare(CLONE_NEWCGROUP) once released (v1: after joining the hierarchies) */
	bool userns;		/* in a new user namespace: become its root after release */
	const char *lower;	/* the rootfs tree (overlay lower dir) */
	int lower_fd;		/* userns: its idmapped clone, handed over at release; else -1 */
	int tty_tree;		/* a detached tmpfs holding a tty node (5,0): bound as /dev/tty */
	bool interactive;
	int hold_fd;		/* depends_on: read end; its command starts on one byte, EOF ends it (-1: none) */
};

/* Remember main()'s argv so the container's pid 1 can show itself as "init"
 * in ps (its command line is the memory argv points to). */
void container_set_argv(int argc, char **argv);

/* Runs in the child: never returns. */
__attribute__((noreturn)) void container_child(struct child_args *a);

/* pid-1 loop: start argv (NULL: just wait) as user (NULL: as root in /), report to status_fd, reap,
 * forward signals, restart the command per `restart` with backoff, else
 * exit with the command's status. With hold_fd >= 0 (depends_on) it reports
 * first and starts the command once a byte comes on hold_fd. Never returns. */
__attribute__((noreturn)) void init_run(char **argv, char **envp, int status_fd, int exit_fd,
					bool interactive, enum restart_policy restart, const struct run_user *user,
					int hold_fd);
