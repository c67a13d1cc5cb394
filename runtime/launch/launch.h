/* SPDX-License-Identifier: MIT */
/* launch.h: one container on its way up: fds and names shared by up.c and clone.c. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup/cgroup.h"
#include "model/project.h"
#include "net/net.h"
#include "runtime/launch/userns.h"
#include "state/journal.h"
#include "util/error.h"

struct launch {
	const struct container *c;
	char dir[384];		/* /run/cengine/<project>/<container> */
	char cgroup[256];	/* cengine/<project>/<container> */
	pid_t pid;
	int sync_fd;		/* socket: the go byte and fds to the child; its "OK" or error line back */
	int netns_fd;		/* -1 until launch_open */
	char *lower;		/* the rootfs tree (overlay lower dir); userns: idmapped at release */
	int lower_fd;		/* userns: idmapped rootfs tree, sent to the child at release; else -1 */
	int log_r;		/* read end of the container's output pipe, for the log keeper; -1: none (run) */
	int exit_r;		/* read end of its pid 1's exit status pipe, for the log keeper; -1: none */
	int log_w, exit_w;	/* their write ends, the container's: sent at release; -1: none or sent */
	int dir_fd;		/* the state dir, for the log keeper; -1 until launch_open */
	int hold_w;		/* depends_on: a byte here starts its command (ready.c); -1: none or sent */
	struct net_container_desc net;	/* planned before clone: the child applies its copy */
	struct idmap map;	/* its user namespace's ids (userns_resolve), set before launch_clone */
	const char *hosts;	/* the project's /etc/hosts lines (dnsfiles_hosts_names), read by launch_clone */
	int *bind_fds;		/* its binds as detached mounts (bindfds.h), sent at release; NULL: none */
	size_t n_bind_fds;
};

/* Plan the container's network (l->net), make its dir and cgroup
 * (journalled), then clone it into its namespaces, blocked until
 * launch_release(). We keep one descriptor of it (l->sync_fd) until
 * launch_open: each later clone copies our descriptor table, and each child
 * closes what it inherits. */
int launch_clone(const struct project *p, const struct cgroup_ops *cg, struct journal *j,
		 struct launch *l, bool interactive, struct ce_error *err);
/* Once every container is cloned: its network namespace (l->netns_fd), its state dir (l->dir_fd)
 * and, not interactive, its output pipes: its stdout and stderr are the write end of a pipe whose
 * read end is l->log_r, its pid 1 reports exit statuses into l->exit_r (interactive: it keeps our
 * stdio and reports nothing). Its log file is the log keeper's to make, else launch_log_file's. */
int launch_open(struct launch *l, bool interactive, struct ce_error *err);
/* An empty log file in l->dir_fd, unless there is one (the log keeper appends to it). */
int launch_log_file(const struct launch *l, struct ce_error *err);
/* depends_on: start the held command of l (its dependencies are ready). */
int launch_go(struct launch *l, struct ce_error *err);
/* Let the child go on (after cgroup entry and veths). */
int launch_release(struct launch *l, struct ce_error *err);
/* Wait for the child's "OK" (its command runs) or its error line. */
int launch_wait_ready(struct launch *l, struct ce_error *err);
void launch_close(struct launch *l);
