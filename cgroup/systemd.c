/* SPDX-License-Identifier: MIT */
/* cgroup/systemd.c: a project's delegated scope on a systemd host, made and stopped through systemd's D-Bus API (sd-bus). */
#include "cgroup/internal.h"
#include "cgroup/sd_dl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/clock.h"

#define SD_JOB_TIMEOUT_MS 20000	/* a job on an idle systemd takes milliseconds; a busy TCG guest, seconds */

LIB_DL_LIBRARY(libsystemd, SD_DL_FUNCTIONS, "libsystemd", LIBSYSTEMD_SONAME, LIBSYSTEMD_PACKAGE,
	       "a project's scope on a systemd host")

int sd_dl_load(struct ce_error *err)
{
	return lib_dl_load(&libsystemd, err);
}

bool cgroup_systemd_delegated(void)
{
	const char *force = getenv("CENGINE_CGROUP"), *root = getenv("CENGINE_CGROUP_ROOT");
	const char *sd = getenv("CENGINE_SYSTEMD");
	struct statfs sfs;
	struct stat st;

	if ((force && *force) || (root && *root) || (sd && !strcmp(sd, "0")))
		return false;
	/* sd_booted()'s test: systemd is pid 1 of this system (not of a host around a container) */
	if (lstat("/run/systemd/system", &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	return statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

void cgroup_systemd_unit(const char *project, char *buf, size_t n)
{
	snprintf(buf, n, "cengine-%s.scope", project);
}

static void bus_closep(sd_bus **b)
{
	if (*b)
		lib_dl_sd_bus_flush_close_unref(*b);
}

static void msg_unrefp(sd_bus_message **m)
{
	if (*m)
		lib_dl_sd_bus_message_unref(*m);
}

static void slot_unrefp(sd_bus_slot **s)
{
	if (*s)
		lib_dl_sd_bus_slot_unref(*s);
}

/* The job a call made, and how it ended (JobRemoved's result: "done", "failed", ...). */
struct sd_job {
	char path[256];
	char result[32];
	bool removed;
};

static int job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct sd_job *job = userdata;
	const char *path, *unit, *result;
	uint32_t id;

	(void)ret_error;
	if (lib_dl_sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
		return 0;
	if (job->path[0] && !strcmp(path, job->path)) {
		snprintf(job->result, sizeof(job->result), "%s", result);
		job->removed = true;
	}
	return 0;
}

/* Dispatch the bus until the job is removed (the signal may already be queued) or the bound passes. */
static int job_wait(sd_bus *bus, struct sd_job *job, const char *what, struct ce_error *err)
{
	uint64_t deadline = clock_mono_ms() + SD_JOB_TIMEOUT_MS;
	int r;

	while (!job->removed) {
		uint64_t now = clock_mono_ms();

		r = lib_dl_sd_bus_process(bus, NULL);
		if (r < 0)
			return ce_error_set(err, -r, "%s: systemd's bus", what);
		if (r > 0)
			continue;
		if (now >= deadline)
			return ce_error_set(err, ETIMEDOUT, "%s: systemd did not finish job %s in %d ms", what,
					    job->path, SD_JOB_TIMEOUT_MS);
		r = lib_dl_sd_bus_wait(bus, (deadline - now) * 1000);
		if (r < 0)
			return ce_error_set(err, -r, "%s: systemd's bus", what);
	}
	if (strcmp(job->result, "done"))
		return ce_error_set(err, EIO, "%s: systemd's job ended \"%s\"", what, job->result);
	return 0;
}

/* Open the system bus and listen for JobRemoved before any job is asked for. */
static int bus_open(sd_bus **bus, sd_bus_slot **slot, struct sd_job *job, const char *what, struct ce_error *err)
{
	int r;

	if (sd_dl_load(err) < 0)
		return ce_error_wrap(err, "%s", what);
	r = lib_dl_sd_bus_open_system(bus);
	if (r < 0)
		return ce_error_set(err, -r, "%s: connect to systemd's system bus", what);
	r = lib_dl_sd_bus_match_signal(*bus, slot, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
				       "org.freedesktop.systemd1.Manager", "JobRemoved", job_removed, job);
	return r < 0 ? ce_error_set(err, -r, "%s: listen for systemd's JobRemoved", what) : 0;
}

/* Send m; the job's path from the reply into job. A NoSuchUnit error is 1 when missing_ok. */
static int job_call(sd_bus *bus, sd_bus_message *m, struct sd_job *job, bool missing_ok, const char *what,
		    struct ce_error *err)
{
	_cleanup_(msg_unrefp) sd_bus_message *reply = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	const char *path;
	int r = lib_dl_sd_bus_call(bus, m, 0, &e, &reply);

	if (r < 0) {
		bool missing = lib_dl_sd_bus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit");

		if (!(missing && missing_ok))
			ce_error_set(err, 0, "%s: %s", what, e.message ? e.message : strerror(-r));
		lib_dl_sd_bus_error_free(&e);
		return missing && missing_ok ? 1 : -1;
	}
	r = lib_dl_sd_bus_message_read(reply, "o", &path);
	if (r < 0)
		return ce_error_set(err, -r, "%s: systemd's reply", what);
	snprintf(job->path, sizeof(job->path), "%s", path);
	return 0;
}

static int manager_call(sd_bus *bus, sd_bus_message **m, const char *method)
{
	return lib_dl_sd_bus_message_new_method_call(bus, m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
						     "org.freedesktop.systemd1.Manager", method);
}

/* StartTransientUnit(unit, "fail", properties, no auxiliary units): the scope holds pid. */
static int start_message(sd_bus *bus, sd_bus_message **m, const char *unit, pid_t pid)
{
	int r = manager_call(bus, m, "StartTransientUnit");

	if (r >= 0)
		r = lib_dl_sd_bus_message_append(*m, "ss", unit, "fail");
	if (r >= 0)
		r = lib_dl_sd_bus_message_open_container(*m, 'a', "(sv)");
	if (r >= 0)
		r = lib_dl_sd_bus_message_append(*m, "(sv)(sv)(sv)(sv)(sv)",
						 "Description", "s", "cengine project (containers)",
						 "Slice", "s", CG_SYSTEMD_SLICE,
						 "Delegate", "b", 1,
						 "CollectMode", "s", "inactive-or-failed",
						 "PIDs", "au", 1, (uint32_t)pid);
	if (r >= 0)
		r = lib_dl_sd_bus_message_close_container(*m);
	if (r >= 0)
		r = lib_dl_sd_bus_message_append(*m, "a(sa(sv))", 0);
	return r;
}

/* The caller leaves the scope's own group for its leaf CG_SYSTEMD_LEAF: a group that holds processes
 * cannot enable controllers for its children (cgroup v2's no-internal-process rule). */
static int enter_leaf(const char *unit, struct ce_error *err)
{
	char dir[PATH_MAX], pid[32];
	_cleanup_close_ int dfd = -1;

	if (cg_path(dir, sizeof(dir), err, "%s/%s/%s/%s", cgroup_root(), CG_SYSTEMD_SLICE, unit,
		    CG_SYSTEMD_LEAF) < 0)
		return -1;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return ce_error_set(err, errno, "mkdir %s", dir);
	dfd = cg_open_dir(dir, err);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	return dfd < 0 ? -1 : cg_write_at(dfd, dir, "cgroup.procs", pid, err);
}

/* The group `up` was started in ("/user.slice/..."), to go back to before anything could kill the scope. */
static char came_from[PATH_MAX];

/* Our cgroup2 path, from /proc/self/cgroup's "0::<path>" line. */
static int own_group(char *buf, size_t n, struct ce_error *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 8];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			return cg_path(buf, n, err, "%s", line + 3);
		}
	return ce_error_set(err, ENOENT, "/proc/self/cgroup: no cgroup2 line");
}

int cgroup_systemd_leave(struct ce_error *err)
{
	char dir[PATH_MAX], pid[32];
	_cleanup_close_ int dfd = -1;

	if (!came_from[0])
		return 0;
	if (cg_path(dir, sizeof(dir), err, "%s%s", cgroup_root(), came_from) < 0)
		return -1;
	dfd = cg_open_dir(dir, err);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (dfd < 0 || cg_write_at(dfd, dir, "cgroup.procs", pid, err) < 0)
		return ce_error_wrap(err, "leave the project's scope");
	came_from[0] = '\0';
	return 0;
}

int cgroup_systemd_start(const char *unit, struct ce_error *err)
{
	_cleanup_(bus_closep) sd_bus *bus = NULL;
	_cleanup_(slot_unrefp) sd_bus_slot *slot = NULL;
	_cleanup_(msg_unrefp) sd_bus_message *m = NULL;
	struct sd_job job = { 0 };
	char what[128];
	int r;

	snprintf(what, sizeof(what), "systemd scope %s", unit);
	if (own_group(came_from, sizeof(came_from), err) < 0)
		return ce_error_wrap(err, "%s", what);
	if (bus_open(&bus, &slot, &job, what, err) < 0)
		return -1;
	r = start_message(bus, &m, unit, getpid());
	if (r < 0)
		return ce_error_set(err, -r, "%s: build StartTransientUnit", what);
	if (job_call(bus, m, &job, false, what, err) < 0 || job_wait(bus, &job, what, err) < 0)
		return -1;
	return enter_leaf(unit, err) < 0 ? ce_error_wrap(err, "%s", what) : 0;
}

int cgroup_systemd_stop(const char *unit, struct ce_error *err)
{
	_cleanup_(bus_closep) sd_bus *bus = NULL;
	_cleanup_(slot_unrefp) sd_bus_slot *slot = NULL;
	_cleanup_(msg_unrefp) sd_bus_message *m = NULL;
	struct sd_job job = { 0 };
	struct stat st;
	char what[128];
	int r;

	/* no systemd running (any more): no unit of it either */
	if (lstat("/run/systemd/system", &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	snprintf(what, sizeof(what), "stop systemd scope %s", unit);
	if (bus_open(&bus, &slot, &job, what, err) < 0)
		return -1;
	r = manager_call(bus, &m, "StopUnit");
	if (r >= 0)
		r = lib_dl_sd_bus_message_append(m, "ss", unit, "fail");
	if (r < 0)
		return ce_error_set(err, -r, "%s: build StopUnit", what);
	r = job_call(bus, m, &job, true, what, err);
	if (r != 0)
		return r < 0 ? -1 : 0;	/* 1: systemd no longer knows it (it stopped when it emptied) */
	return job_wait(bus, &job, what, err);
}

int cg_v2_split(const char *rel, char *base, size_t n, const char **rest, struct ce_error *err)
{
	const char *project = rel + strlen("cengine/");
	size_t len = strcspn(project, "/");
	char name[256], unit[300];

	*rest = rel;
	if (strncmp(rel, "cengine/", strlen("cengine/")) || !len || len >= sizeof(name))
		return cg_path(base, n, err, "%s", cgroup_root());
	snprintf(name, sizeof(name), "%.*s", (int)len, project);
	cgroup_systemd_unit(name, unit, sizeof(unit));
	if (cg_path(base, n, err, "%s/%s/%s", cgroup_root(), CG_SYSTEMD_SLICE, unit) < 0)
		return -1;
	if (!cg_is_dir(base))
		return cg_path(base, n, err, "%s", cgroup_root());
	*rest = project[len] ? project + len + 1 : project + len;
	return 1;
}

void cgroup_placed(const char *rel, char *buf, size_t n)
{
	char base[PATH_MAX];
	const char *rest;

	if (cg_v2_split(rel, base, sizeof(base), &rest, NULL) <= 0) {
		snprintf(buf, n, "%s", rel);
		return;
	}
	snprintf(buf, n, "%s%s%s", base + strlen(cgroup_root()) + 1, *rest ? "/" : "", rest);
}
