/* SPDX-License-Identifier: MIT */
/* down.c: stop a project's containers and remove, in reverse, every object its journal lists. */
#include "runtime/verbs/verbs.h"

#include <errno.h>
#include <dirent.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "model/naming.h"
#include "net/net.h"
#include "state/journal.h"
#include "state/project_state.h"
#include "util/cleanup.h"
#include "util/timing.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* SIGTERM every live container init, wait up to grace_ms for all of them, SIGKILL the rest. */
static void stop_all(const struct journal_entry *e, size_t n, int grace_ms)
{
	struct pollfd *fds = calloc(n ? n : 1, sizeof(*fds));
	long long deadline = now_ms() + grace_ms;
	size_t live = 0;

	if (!fds)
		return;
	for (size_t i = 0; i < n; i++) {
		pid_t pid;

		if (e[i].kind != J_PID)
			continue;
		pid = (pid_t)atoi(e[i].args[1]);
		if (!proc_is(pid, strtoull(e[i].args[2], NULL, 10)))
			continue;
		fds[live].fd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (fds[live].fd < 0)
			continue;
		fds[live].events = POLLIN;
		syscall(SYS_pidfd_send_signal, fds[live].fd, grace_ms > 0 ? SIGTERM : SIGKILL, NULL, 0);
		live++;
	}
	for (size_t i = 0; i < live; i++) {
		long long left = deadline - now_ms();

		if (left > 0 && poll(&fds[i], 1, (int)left) == 1)
			continue;
		syscall(SYS_pidfd_send_signal, fds[i].fd, SIGKILL, NULL, 0);
	}
	for (size_t i = 0; i < live; i++)
		close(fds[i].fd);
	free(fds);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

static int rm_rf(const char *path, struct ce_error *err)
{
	if (nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return ce_error_set(err, errno, "remove %s", path);
	return 0;
}

/* Does another project's journal still hold host forwarding (nat)? */
static bool forward_used_elsewhere(const char *project)
{
	DIR *d = opendir(journal_root());
	bool used = false;

	for (struct dirent *de; d && !used && (de = readdir(d));) {
		_cleanup_free_ struct journal_entry *e = NULL;
		size_t n = 0;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, project) || de->d_type != DT_DIR ||
		    journal_read(de->d_name, &e, &n, NULL) < 0)
			continue;
		for (size_t i = 0; i < n && !used; i++)
			used = e[i].kind == J_FORWARD;
	}
	if (d)
		closedir(d);
	return used;
}

/* Undo one journal entry; missing objects are fine. */
static int undo(const struct journal_entry *e, const struct cgroup_ops *cg, const struct ce_error *cg_err,
		struct ce_error *err)
{
	if (e->kind == J_NAT)
		return net_nat_remove(e->args[0], err);
	if (e->kind == J_FORWARD)
		return net_host_forward_release(journal_root(), forward_used_elsewhere(e->args[0]), err);
	if (e->kind == J_CGROUP && !cg) {
		*err = *cg_err;	/* the group stays: an error, not success */
		return -1;
	}
	if (e->kind == J_CGROUP)
		return cg->kill_all(e->args[0], err) < 0 ? -1 : cg->destroy(e->args[0], err);
	if (e->kind == J_DIR)
		return rm_rf(e->args[0], err);
	return 0;
}

static bool is_link(const struct journal_entry *e)
{
	return e->kind == J_VETH || e->kind == J_BRIDGE;
}

/* Every bridge and host veth of the project in one kernel batch. */
static int delete_links(const char *project, const struct journal_entry *e, size_t n, struct net_ctx *nl,
			const struct ce_error *nl_err, struct ce_error *err)
{
	_cleanup_free_ char **names = calloc(n ? n : 1, sizeof(*names));
	size_t k = 0;

	if (!names)
		return ce_error_set(err, ENOMEM, "delete links");
	for (size_t i = 0; i < n; i++)
		if (is_link(&e[i]))
			names[k++] = e[i].args[0];
	if (!k)
		return 0;
	if (!nl) {
		*err = *nl_err;	/* the links stay: an error, not success */
		return -1;
	}
	return net_links_delete_group(nl, naming_group(project), names, k, err);
}

/* Link deletion waits in the kernel (rcu_barrier, ~30 ms here) however few links
 * there are; it runs in a thread while the main one stops containers and removes
 * cgroups and directories. */
struct link_job {
	const char *project;
	const struct journal_entry *e;
	size_t n;
	struct ce_error err;
	int rc;
};

static void *delete_links_job(void *arg)
{
	struct link_job *job = arg;
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	struct ce_error open_err = { 0 };

	if (net_open(&nl, &open_err) < 0)
		nl = NULL;
	job->rc = delete_links(job->project, job->e, job->n, nl, &open_err, &job->err);
	return NULL;
}

int runtime_teardown(const char *project, int grace_ms, struct ce_error *err)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	const struct cgroup_ops *cg;
	struct ce_error first = { 0 }, cg_err = { 0 };
	struct link_job links = { .project = project };
	pthread_t links_thread;
	bool threaded;
	size_t n = 0;

	timing_mark("down: start");
	if (journal_read(project, &e, &n, err) < 0)
		return -1;
	links.e = e, links.n = n;
	threaded = pthread_create(&links_thread, NULL, delete_links_job, &links) == 0;
	if (!threaded)
		delete_links_job(&links);
	stop_all(e, n, grace_ms);
	timing_mark("down: stop containers");
	cg = cgroup_detect(&cg_err);
	for (size_t i = n; i-- > 0;) {
		struct ce_error one = { 0 };

		if (undo(&e[i], cg, &cg_err, &one) < 0 && !first.code)
			first = one;
	}
	timing_mark("down: cgroups and dirs");
	if (threaded)
		pthread_join(links_thread, NULL);
	timing_mark("down: links deleted");
	if (links.rc < 0)	/* a link that stayed is reported first */
		first = links.err, first.code = first.code ? first.code : -1;
	/* something stayed: keep the journal, so the next `down` tries again */
	if (!first.code && journal_remove(project, &first) < 0 && !first.code)
		first.code = -1;
	if (first.code) {
		if (err)
			*err = first;
		return -1;
	}
	return 0;
}

int runtime_down(const char *project, int grace_ms, struct ce_error *err)
{
	int lock = journal_lock(project, true, err);
	int rc;

	if (lock < 0)
		return -1;
	rc = runtime_teardown(project, grace_ms, err);
	journal_unlock_remove(project, lock);
	return rc;
}
