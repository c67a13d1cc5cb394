/* SPDX-License-Identifier: MIT */
/* cgroup/v1.c: cgroup v1 backend, one directory per controller hierarchy found in mountinfo. */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/clock.h"

/* Controllers this backend uses, in the order they are created and entered. */
enum { V1_CPU, V1_CPUACCT, V1_MEMORY, V1_PIDS, V1_FREEZER, V1_CPUSET, V1_BLKIO, V1_N };
static const char *const v1_names[V1_N] = {
	[V1_CPU] = "cpu", [V1_CPUACCT] = "cpuacct", [V1_MEMORY] = "memory",
	[V1_PIDS] = "pids", [V1_FREEZER] = "freezer", [V1_CPUSET] = "cpuset",
	[V1_BLKIO] = "blkio",
};

/* Mount point of each controller ("" = not mounted), read once per root. */
static struct {
	bool found;
	char root[PATH_MAX];
	char mount[V1_N][PATH_MAX];
} v1;

static int v1_index(const char *controller)
{
	if (!strcmp(controller, "io"))	/* the v2 name of blkio */
		controller = "blkio";
	for (size_t i = 0; i < V1_N; i++)
		if (!strcmp(v1_names[i], controller))
			return (int)i;
	return -1;
}

/* mountinfo escapes ' ', '\t', '\n' and '\\' as \ooo. */
static void unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++, w++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w = *r;
		}
	}
	*w = '\0';
}

static bool under_root(const char *mnt, const char *root)
{
	size_t n = strlen(root);

	return !strncmp(mnt, root, n) && (mnt[n] == '\0' || mnt[n] == '/');
}

/* Exact match in a comma-separated option list ("rw,cpu,cpuacct"). */
static bool has_opt(const char *opts, const char *name)
{
	size_t n = strlen(name), len;

	for (const char *p = opts; *p; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (len == n && !strncmp(p, name, n))
			return true;
	}
	return false;
}

/* "36 25 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,... shared:9 - cgroup cgroup rw,cpu,cpuacct" */
bool cgroup_v1_mount_has(const char *line, const char *root, const char *controller,
			 char *mnt, size_t n)
{
	char point[PATH_MAX], fstype[32], super[1024];
	const char *sep = strstr(line, " - ");

	if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
	    sscanf(sep + 3, "%31s %*s %1023s", fstype, super) != 2 || strcmp(fstype, "cgroup") ||
	    !has_opt(super, controller))
		return false;
	unescape(point);
	return under_root(point, root) && cg_path(mnt, n, NULL, "%s", point) == 0;
}

static void parse_mount(const char *line)
{
	for (size_t i = 0; i < V1_N; i++)
		if (!v1.mount[i][0])
			cgroup_v1_mount_has(line, v1.root, v1_names[i], v1.mount[i], sizeof(v1.mount[i]));
}

static void read_mountinfo(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		parse_mount(line);
	}
}

/* Not in mountinfo (no /proc, or a test fixture): fall back to root/<name>. */
static void fallback_dirs(void)
{
	char dir[PATH_MAX];

	for (size_t i = 0; i < V1_N; i++) {
		if (v1.mount[i][0] || cg_path(dir, sizeof(dir), NULL, "%s/%s", v1.root, v1_names[i]) < 0)
			continue;
		if (cg_is_dir(dir))
			memcpy(v1.mount[i], dir, sizeof(dir));
	}
}

/* Read once per root; a root with nothing mounted yet is looked at again. */
static void v1_load(void)
{
	const char *root = cgroup_root();
	size_t n;

	if (v1.found && !strcmp(v1.root, root))
		return;
	memset(&v1, 0, sizeof(v1));
	snprintf(v1.root, sizeof(v1.root), "%s", root);
	for (n = strlen(v1.root); n > 1 && v1.root[n - 1] == '/'; n--)
		v1.root[n - 1] = '\0';
	read_mountinfo();
	fallback_dirs();
	for (size_t i = 0; i < V1_N; i++)
		v1.found |= v1.mount[i][0] != '\0';
}

/* Mounted, and not a co-mount already handled by an earlier controller. */
static bool v1_usable(size_t i)
{
	if (!v1.mount[i][0])
		return false;
	for (size_t j = 0; j < i; j++)
		if (!strcmp(v1.mount[i], v1.mount[j]))
			return false;
	return true;
}

bool cgroup_v1_available(void)
{
	v1_load();
	for (size_t i = 0; i < V1_N; i++)
		if (v1_usable(i))
			return true;
	return false;
}

int cgroup_v1_dir(const char *controller, const char *rel, char *buf, size_t n,
		  struct ce_error *err)
{
	int i = v1_index(controller);

	v1_load();
	if (i < 0 || !v1.mount[i][0])
		return ce_error_set(err, ENOTSUP, "cgroup v1 controller '%s' is not mounted under %s",
				    controller, v1.root);
	return cg_path(buf, n, err, "%s/%s", v1.mount[i], rel);
}

/* MOUNT/REL/FILE of hierarchy i, or the group's directory MOUNT/REL when file is NULL. */
static int v1_file(size_t i, const char *rel, const char *file, char *buf, size_t n,
		   struct ce_error *err)
{
	if (!file)
		return cg_path(buf, n, err, "%s/%s", v1.mount[i], rel);
	return cg_path(buf, n, err, "%s/%s/%s", v1.mount[i], rel, file);
}

/* A new cpuset has empty cpus/mems and refuses tasks until they are set. */
static int cpuset_copy(int pfd, const char *parent, int dfd, const char *dir, const char *file,
		       struct ce_error *err)
{
	char value[4096];

	if (cg_read_at(dfd, dir, file, value, sizeof(value), err) < 0)
		return -1;
	if (value[0])
		return 0;
	if (cg_read_at(pfd, parent, file, value, sizeof(value), err) < 0)
		return -1;
	return cg_write_at(dfd, dir, file, value, err);
}

static int cpuset_level(const char *parent, const char *dir, struct ce_error *err)
{
	_cleanup_close_ int pfd = cg_open_dir(parent, err);
	_cleanup_close_ int dfd = pfd < 0 ? -1 : cg_open_dir(dir, err);

	if (dfd < 0 || cpuset_copy(pfd, parent, dfd, dir, "cpuset.cpus", err) < 0)
		return -1;
	return cpuset_copy(pfd, parent, dfd, dir, "cpuset.mems", err);
}

static bool holds_cpuset(size_t i)
{
	return v1.mount[V1_CPUSET][0] && !strcmp(v1.mount[i], v1.mount[V1_CPUSET]);
}

/* Every operation: a valid rel, the mounts read. */
static int v1_begin(const char *rel, struct ce_error *err)
{
	if (cg_check_rel(rel, err) < 0)
		return -1;
	v1_load();
	return 0;
}

static int v1_create(const char *rel, struct ce_error *err)
{
	size_t made = 0;

	if (v1_begin(rel, err) < 0)
		return -1;
	for (size_t i = 0; i < V1_N; i++) {
		if (!v1_usable(i))
			continue;
		if (cg_mkdir_p(v1.mount[i], rel, holds_cpuset(i) ? cpuset_level : NULL, err) < 0)
			return -1;
		made++;
	}
	if (!made)
		return ce_error_set(err, ENOENT, "no cgroup v1 controller mounted under %s", v1.root);
	return 0;
}

static int v1_apply(const char *rel, const struct limits *lim, struct ce_error *err)
{
	if (cg_check_rel(rel, err) < 0)
		return -1;
	return cgroup_limits_apply(CG_V1, rel, lim, cgroup_v1_dir, err);
}

static int v1_open_fd(const char *rel, struct ce_error *err)
{
	return ce_error_set(err, ENOTSUP, "cgroup v1 cannot place a child at clone time; use enter()");
}

static int v1_enter(const char *rel, pid_t pid, struct ce_error *err)
{
	char path[PATH_MAX], value[32];

	if (v1_begin(rel, err) < 0)
		return -1;
	snprintf(value, sizeof(value), "%d", (int)pid);
	for (size_t i = 0; i < V1_N; i++) {
		if (!v1_usable(i))
			continue;
		if (v1_file(i, rel, "cgroup.procs", path, sizeof(path), err) < 0 ||
		    cg_write(path, value, err) < 0)
			return -1;
	}
	return 0;
}

_Static_assert(V1_N <= CGROUP_SELF_MAX, "one self-enter fd per v1 hierarchy");

static int v1_open_self(const char *rel, int *fds, struct ce_error *err)
{
	char path[PATH_MAX];
	size_t n = 0;

	if (v1_begin(rel, err) < 0)
		return -1;
	for (size_t i = 0; i < V1_N; i++) {
		if (!v1_usable(i))
			continue;
		if (v1_file(i, rel, "tasks", path, sizeof(path), err) < 0)
			goto fail;
		fds[n] = open(path, O_WRONLY | O_CLOEXEC);
		if (fds[n] < 0) {
			ce_error_set(err, errno, "open %s", path);
			goto fail;
		}
		n++;
	}
	return (int)n;
fail:
	cg_close_all(fds, n);
	return -1;
}

/* Best effort: without a freezer the kill loop re-kills late forks instead. */
static bool v1_freeze(const char *rel, const char *state)
{
	struct ce_error ignored;
	char path[PATH_MAX], now[32];
	uint64_t deadline = clock_mono_ms() + CG_FREEZE_TIMEOUT_MS;

	if (!v1.mount[V1_FREEZER][0] ||
	    v1_file(V1_FREEZER, rel, "freezer.state", path, sizeof(path), &ignored) < 0 ||
	    cg_write(path, state, &ignored) < 0)
		return false;
	/* FREEZING until every task stopped; a task stuck in D state may never. */
	while (cg_read(path, now, sizeof(now), &ignored) == 0 && strcmp(now, state) &&
	       clock_mono_ms() < deadline)
		clock_sleep_ms(1);
	return true;
}

/* SIGKILL what every hierarchy lists, nested groups included; *seen = total listed. */
static int v1_kill_round(const char *rel, size_t *seen, struct ce_error *err)
{
	char dir[PATH_MAX];
	size_t n;

	*seen = 0;
	for (size_t i = 0; i < V1_N; i++) {
		if (!v1_usable(i))
			continue;
		if (v1_file(i, rel, NULL, dir, sizeof(dir), err) < 0 || cg_kill_tree(dir, &n, err) < 0)
			return -1;
		*seen += n;
	}
	return 0;
}

static int v1_wait_empty(const char *rel, struct ce_error *err)
{
	uint64_t deadline = clock_mono_ms() + CG_KILL_TIMEOUT_MS;
	size_t seen;

	do {
		if (v1_kill_round(rel, &seen, err) < 0)
			return -1;
		if (!seen)
			return 0;
		clock_sleep_ms(1);
	} while (clock_mono_ms() < deadline);
	return ce_error_set(err, EBUSY, "cgroup %s: %zu processes left %d ms after SIGKILL",
			    rel, seen, CG_KILL_TIMEOUT_MS);
}

static int v1_kill_all(const char *rel, struct ce_error *err)
{
	bool frozen;
	size_t seen;
	int r;

	if (v1_begin(rel, err) < 0)
		return -1;
	/* The usual case after `down` stopped the inits: nothing left, and no freezer
	 * round trip (a parent whose children were just removed stays FREEZING ~10 ms). */
	if (v1_kill_round(rel, &seen, err) < 0)
		return -1;
	if (!seen)
		return 0;
	/* Frozen tasks cannot fork while we read the lists; the SIGKILLs land on thaw. */
	frozen = v1_freeze(rel, "FROZEN");
	r = v1_kill_round(rel, &seen, err);
	if (frozen)
		v1_freeze(rel, "THAWED");
	if (r < 0)
		return -1;
	return v1_wait_empty(rel, err);
}

static int v1_destroy(const char *rel, struct ce_error *err)
{
	struct ce_error e = { 0 }, first = { 0 };
	char dir[PATH_MAX];

	if (v1_begin(rel, err) < 0)
		return -1;
	/* Remove as much as possible, report the first failure. */
	for (size_t i = 0; i < V1_N; i++) {
		if (!v1_usable(i))
			continue;
		if ((v1_file(i, rel, NULL, dir, sizeof(dir), &e) < 0 || cg_rmdir(dir, &e) < 0) && !first.code)
			first = e;
	}
	return first.code ? cg_error_copy(err, &first) : 0;
}

static const struct cg_stat_field v1_stat_fields[] = {
	{ "cpuacct", "cpuacct.usage", NULL, CG_STAT(cpu_usage_usec), 1000, false },
	{ "memory", "memory.usage_in_bytes", NULL, CG_STAT(memory_current), 1, false },
	{ "memory", "memory.limit_in_bytes", NULL, CG_STAT(memory_max), 1, true },
	{ "pids", "pids.current", NULL, CG_STAT(pids_current), 1, false },
	{ "memory", "memory.oom_control", "oom_kill", CG_STAT(oom_kills), 1, false },
};

/* The memory hierarchy, or the first one available; -1 if none. */
static int v1_probe_index(void)
{
	if (v1.mount[V1_MEMORY][0])
		return V1_MEMORY;
	for (size_t i = 0; i < V1_N; i++)
		if (v1.mount[i][0])
			return (int)i;
	return -1;
}

static bool v1_exists(const char *rel)
{
	char dir[PATH_MAX];
	int c;

	if (cg_check_rel(rel, NULL) < 0)
		return false;
	v1_load();
	c = v1_probe_index();
	return c >= 0 && v1_file((size_t)c, rel, NULL, dir, sizeof(dir), NULL) == 0 && cg_is_dir(dir);
}

static int v1_stats(const char *rel, struct cgroup_stats *st, struct ce_error *err)
{
	return cg_stats_read(v1_stat_fields, sizeof(v1_stat_fields) / sizeof(v1_stat_fields[0]), cgroup_v1_dir,
			     v1_exists, NULL, rel, st, err);
}

const struct cgroup_ops cgroup_v1_ops = {
	.name = "v1",
	.create = v1_create,
	.apply = v1_apply,
	.open_fd = v1_open_fd,
	.enter = v1_enter,
	.open_self = v1_open_self,
	.kill_all = v1_kill_all,
	.destroy = v1_destroy,
	.stats = v1_stats,
	.exists = v1_exists,
};
