/* SPDX-License-Identifier: MIT */
/* cgroup/v2.c: cgroup v2 backend, one directory under the unified hierarchy per group. */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/clock.h"

/* Controllers enabled on the way down to a group. */
static const char *const v2_wanted[] = { "cpuset", "cpu", "io", "memory", "pids" };

/* One directory holds every controller: `controller` only matters on v1. A project with a systemd
 * scope has its groups there (cg_v2_split). */
static int v2_dir(const char *controller, const char *rel, char *buf, size_t n,
		  struct ce_error *err)
{
	char base[PATH_MAX];
	const char *rest;

	(void)controller;
	if (cg_v2_split(rel, base, sizeof(base), &rest, err) < 0)
		return -1;
	return *rest ? cg_path(buf, n, err, "%s/%s", base, rest) : cg_path(buf, n, err, "%s", base);
}

static int v2_group(const char *rel, char *buf, size_t n, struct ce_error *err)
{
	if (cg_check_rel(rel, err) < 0)
		return -1;
	return v2_dir(NULL, rel, buf, n, err);
}

/* "+cpu +memory" for wanted controllers available in parent but not yet on. */
static int v2_missing_controllers(int pfd, const char *parent, char *req, size_t n, struct ce_error *err)
{
	char avail[512], on[512];

	req[0] = '\0';
	if (!cg_exists_at(pfd, "cgroup.controllers"))	/* not a cgroup2 directory (a test fixture) */
		return 0;
	if (cg_read_at(pfd, parent, "cgroup.controllers", avail, sizeof(avail), err) < 0 ||
	    cg_read_at(pfd, parent, "cgroup.subtree_control", on, sizeof(on), err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(v2_wanted) / sizeof(v2_wanted[0]); i++) {
		if (!cg_word_in(avail, v2_wanted[i]) || cg_word_in(on, v2_wanted[i]))
			continue;
		if (cg_path(req + strlen(req), n - strlen(req), err, "%s+%s", req[0] ? " " : "",
			    v2_wanted[i]) < 0)
			return -1;
	}
	return 0;
}

/* Level hook of create(): let `dir` use the controllers of `parent`. */
static int v2_enable(const char *parent, const char *dir, struct ce_error *err)
{
	_cleanup_close_ int pfd = cg_open_dir(parent, err);
	char req[64];
	struct ce_error e = { 0 };

	if (pfd < 0 || v2_missing_controllers(pfd, parent, req, sizeof(req), err) < 0)
		return -1;
	if (!req[0])
		return 0;
	if (cg_write_at(pfd, parent, "cgroup.subtree_control", req, &e) == 0)
		return 0;
	/* EBUSY: parent holds processes itself (no-internal-process rule), e.g.
	 * the delegated group we were started in. ENOENT: a controller went away
	 * since we read cgroup.controllers. Either way the group is still usable
	 * without those controllers, and apply() names the missing controller
	 * should a limit need it. */
	if (e.code == EBUSY || e.code == ENOENT)
		return 0;
	return cg_error_copy(err, &e);
}

/* In a systemd scope the scope's own group is systemd's: only the groups below it are made. */
static int v2_create(const char *rel, struct ce_error *err)
{
	char base[PATH_MAX];
	const char *rest;

	if (cg_check_rel(rel, err) < 0 || cg_v2_split(rel, base, sizeof(base), &rest, err) < 0)
		return -1;
	return *rest ? cg_mkdir_p(base, rest, v2_enable, err) : 0;
}

static int v2_create_leaf(const char *rel, const struct limits *lim, struct ce_error *err)
{
	(void)lim;
	return v2_create(rel, err);
}

static int v2_apply(const char *rel, const struct limits *lim, struct ce_error *err)
{
	if (cg_check_rel(rel, err) < 0)
		return -1;
	return cgroup_limits_apply(CG_V2, rel, lim, v2_dir, err);
}

static int v2_devices(const char *rel, const struct device_rule *rules, size_t n, struct ce_error *err)
{
	_cleanup_close_ int dfd = -1;
	char dir[PATH_MAX];

	if (v2_group(rel, dir, sizeof(dir), err) < 0)
		return -1;
	dfd = cg_open_dir(dir, err);
	return dfd < 0 ? -1 : cgroup_device_bpf_attach(dfd, dir, rules, n, err);
}

/* clone3(CLONE_INTO_CGROUP) wants a real (not O_PATH) directory fd. */
static int v2_open_fd(const char *rel, struct ce_error *err)
{
	char dir[PATH_MAX];
	int fd;

	if (v2_group(rel, dir, sizeof(dir), err) < 0)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ce_error_set(err, errno, "open %s", dir);
	return fd;
}

static int v2_write_file(const char *dir, const char *file, const char *value,
			 struct ce_error *err)
{
	_cleanup_close_ int dfd = cg_open_dir(dir, err);

	return dfd < 0 ? -1 : cg_write_at(dfd, dir, file, value, err);
}

static int v2_enter(const char *rel, pid_t pid, struct ce_error *err)
{
	char dir[PATH_MAX], value[32];

	if (v2_group(rel, dir, sizeof(dir), err) < 0)
		return -1;
	snprintf(value, sizeof(value), "%d", (int)pid);
	return v2_write_file(dir, "cgroup.procs", value, err);
}

static int v2_open_self(const char *rel, bool rest, int *fds, struct ce_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX];

	if (rest)	/* the one hierarchy is open_fd()'s */
		return 0;
	if (v2_group(rel, dir, sizeof(dir), err) < 0 ||
	    cg_path(path, sizeof(path), err, "%s/cgroup.procs", dir) < 0)
		return -1;
	fds[0] = open(path, O_WRONLY | O_CLOEXEC);
	if (fds[0] < 0)
		return ce_error_set(err, errno, "open %s", path);
	return 1;
}

/* populated counts the whole subtree; a vanished group is empty. */
static int v2_populated(const char *dir, bool *populated, struct ce_error *err)
{
	char path[PATH_MAX];
	uint64_t v = 0;
	int r;

	if (cg_path(path, sizeof(path), err, "%s/cgroup.events", dir) < 0)
		return -1;
	if (!cg_exists(path)) {
		*populated = false;
		return 0;
	}
	r = cg_read_key(path, "populated", &v, err);
	if (r > 0)
		return ce_error_set(err, EPROTO, "%s: no 'populated' line", path);
	*populated = v != 0;
	return r;
}

/* Kernels before 5.14 have no cgroup.kill: freeze (5.2+), kill, thaw. */
static int v2_freeze_kill(int dfd, const char *dir, struct ce_error *err)
{
	struct ce_error ignored;
	bool frozen = cg_write_at(dfd, dir, "cgroup.freeze", "1", &ignored) == 0;
	size_t seen;
	int r = cg_kill_tree(dir, &seen, err);

	if (frozen)
		cg_write_at(dfd, dir, "cgroup.freeze", "0", &ignored);
	return r;
}

static int v2_wait_empty(const char *dir, bool rekill, struct ce_error *err)
{
	uint64_t deadline = clock_mono_ms() + CG_KILL_TIMEOUT_MS;
	bool populated;
	size_t seen;

	do {
		if (v2_populated(dir, &populated, err) < 0)
			return -1;
		if (!populated)
			return 0;
		if (rekill && cg_kill_tree(dir, &seen, err) < 0)
			return -1;
		clock_sleep_ms(1);
	} while (clock_mono_ms() < deadline);
	return ce_error_set(err, EBUSY, "cgroup %s still populated %d ms after SIGKILL",
			    dir, CG_KILL_TIMEOUT_MS);
}

static int v2_kill(const char *dir, struct ce_error *err)
{
	_cleanup_close_ int dfd = -1;
	bool has_kill;

	dfd = cg_open_dir(dir, err);
	if (dfd < 0)
		return -1;
	has_kill = cg_exists_at(dfd, "cgroup.kill");
	if (has_kill && cg_write_at(dfd, dir, "cgroup.kill", "1", err) < 0)
		return -1;
	if (!has_kill && v2_freeze_kill(dfd, dir, err) < 0)
		return -1;
	return v2_wait_empty(dir, !has_kill, err);
}

/* systemd removes a scope's groups itself once the scope holds no process (down's SIGTERMs can empty it):
 * a group that went while we killed in it is killed. */
static int v2_kill_all(const char *rel, struct ce_error *err)
{
	char dir[PATH_MAX];

	if (v2_group(rel, dir, sizeof(dir), err) < 0)
		return -1;
	if (!cg_is_dir(dir))
		return 0;
	if (v2_kill(dir, err) == 0 || !cg_is_dir(dir))
		return ce_error_clear(err), 0;
	return -1;
}

/* A systemd scope's own group goes when systemd stops the unit: here only its leaf. */
static int v2_destroy(const char *rel, struct ce_error *err)
{
	char dir[PATH_MAX], leaf[PATH_MAX];
	const char *rest;
	int scoped;

	if (v2_group(rel, dir, sizeof(dir), err) < 0)
		return -1;
	scoped = cg_v2_split(rel, leaf, sizeof(leaf), &rest, err);
	if (scoped < 0)
		return -1;
	if (scoped && !*rest)
		return cg_path(leaf, sizeof(leaf), err, "%s/%s", dir, CG_SYSTEMD_LEAF) < 0 ? -1 : cg_rmdir(leaf, err);
	return cg_rmdir(dir, err);
}

static bool v2_exists(const char *rel)
{
	char dir[PATH_MAX];

	return v2_group(rel, dir, sizeof(dir), NULL) == 0 && cg_is_dir(dir);
}

static const struct cg_stat_field v2_stat_fields[] = {
	{ "cpu", "cpu.stat", "usage_usec", CG_STAT(cpu_usage_usec), 1, false },
	{ "memory", "memory.current", NULL, CG_STAT(memory_current), 1, false },
	{ "memory", "memory.max", NULL, CG_STAT(memory_max), 1, true },
	{ "pids", "pids.current", NULL, CG_STAT(pids_current), 1, false },
	{ "memory", "memory.events", "oom_kill", CG_STAT(oom_kills), 1, false },
};

static int v2_stats(const char *rel, struct cgroup_stats *st, struct ce_error *err)
{
	return cg_stats_read(v2_stat_fields, sizeof(v2_stat_fields) / sizeof(v2_stat_fields[0]), v2_dir,
			     v2_exists, cgroup_root(), rel, st, err);
}

const struct cgroup_ops cgroup_v2_ops = {
	.name = "v2",
	.create = v2_create,
	.create_leaf = v2_create_leaf,
	.apply = v2_apply,
	.devices = v2_devices,
	.open_fd = v2_open_fd,
	.enter = v2_enter,
	.open_self = v2_open_self,
	.kill_all = v2_kill_all,
	.destroy = v2_destroy,
	.stats = v2_stats,
	.exists = v2_exists,
};
