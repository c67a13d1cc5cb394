/* SPDX-License-Identifier: MIT */
/* cgroup/v1.c: cgroup v1 backend, the group in every hierarchy found in mountinfo (controllers, named, hybrid unified). */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/clock.h"

/* Controllers whose files this backend writes or reads. Any one of them mounted makes a host
 * usable for v1; the group is made in every hierarchy all the same (see open_self in cgroup.h). */
static const char *const v1_known[] = { "cpu", "cpuacct", "memory", "pids", "freezer", "cpuset", "blkio", "devices" };
#define V1_KNOWN (sizeof(v1_known) / sizeof(*v1_known))
/* Those each container gets a group of its own in (create_leaf): limits, accounting, the kill, device rules. */
static const char *const v1_own[] = { "cpu", "cpuacct", "memory", "pids", "freezer", "devices" };

/* One hierarchy: a v1 tree (its controllers, or a name=, in opts) or a hybrid host's unified tree. */
struct v1_hier {
	char mount[PATH_MAX];
	char opts[512];		/* super options: "rw,cpu,cpuacct", "rw,xattr,name=systemd"; unified: "" */
	char dev[24];		/* "major:minor" of its superblock: a tree mounted twice counts once */
	bool unified;		/* cgroup2: joined through cgroup.procs (it has no `tasks`) */
};

/* The hierarchies under the root, read once per root. */
static struct {
	bool found;
	bool overflow;		/* more than CGROUP_SELF_MAX: refuse rather than leave one out */
	char root[PATH_MAX];
	size_t n;
	struct v1_hier h[CGROUP_SELF_MAX];
} v1;

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

/* "36 25 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,... shared:9 - cgroup cgroup rw,cpu,cpuacct": a
 * cgroup (v1) or cgroup2 mount at or below root into h; false for anything else. */
static bool parse_hier(const char *line, const char *root, struct v1_hier *h)
{
	char point[PATH_MAX], fstype[32];
	const char *sep = strstr(line, " - ");

	memset(h, 0, sizeof(*h));
	if (!sep || sscanf(line, "%*s %*s %23s %*s %4095s", h->dev, point) != 2 ||
	    sscanf(sep + 3, "%31s %*s %511s", fstype, h->opts) < 1)
		return false;
	h->unified = !strcmp(fstype, "cgroup2");
	if (h->unified)
		h->opts[0] = '\0';
	else if (strcmp(fstype, "cgroup"))
		return false;
	unescape(point);
	if (!under_root(point, root) || (h->unified && !strcmp(point, root)))
		return false;
	return cg_path(h->mount, sizeof(h->mount), NULL, "%s", point) == 0;
}

bool cgroup_v1_mount_has(const char *line, const char *root, const char *controller,
			 char *mnt, size_t n)
{
	struct v1_hier h;

	if (!parse_hier(line, root, &h) || h.unified || !has_opt(h.opts, controller))
		return false;
	return cg_path(mnt, n, NULL, "%s", h.mount) == 0;
}

static void add_hier(const struct v1_hier *h)
{
	for (size_t i = 0; i < v1.n; i++)
		if ((h->dev[0] && !strcmp(v1.h[i].dev, h->dev)) || !strcmp(v1.h[i].mount, h->mount))
			return;
	if (v1.n == CGROUP_SELF_MAX) {
		v1.overflow = true;
		return;
	}
	v1.h[v1.n++] = *h;
}

static void read_mountinfo(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	struct v1_hier h;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (parse_hier(line, v1.root, &h))
			add_hier(&h);
	}
}

/* Hierarchy holding controller ("io" is v1's blkio), or -1. */
static int v1_index(const char *controller)
{
	if (!strcmp(controller, "io"))
		controller = "blkio";
	for (size_t i = 0; i < v1.n; i++)
		if (!v1.h[i].unified && has_opt(v1.h[i].opts, controller))
			return (int)i;
	return -1;
}

/* Not in mountinfo (no /proc, or a test fixture): root/<name> for each known controller. */
static void fallback_dirs(void)
{
	struct v1_hier h = { .unified = false };

	for (size_t i = 0; i < V1_KNOWN; i++) {
		if (v1_index(v1_known[i]) >= 0 ||
		    cg_path(h.mount, sizeof(h.mount), NULL, "%s/%s", v1.root, v1_known[i]) < 0)
			continue;
		snprintf(h.opts, sizeof(h.opts), "%s", v1_known[i]);
		if (cg_is_dir(h.mount))
			add_hier(&h);
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
	v1.found = v1.n > 0;
}

bool cgroup_v1_available(void)
{
	v1_load();
	for (size_t i = 0; i < V1_KNOWN; i++)
		if (v1_index(v1_known[i]) >= 0)
			return true;
	return false;
}

int cgroup_v1_dir(const char *controller, const char *rel, char *buf, size_t n,
		  struct ce_error *err)
{
	int i;

	v1_load();
	i = v1_index(controller);
	if (i < 0)
		return ce_error_set(err, ENOTSUP, "cgroup v1 controller '%s' is not mounted under %s",
				    controller, v1.root);
	return cg_path(buf, n, err, "%s/%s", v1.h[i].mount, rel);
}

/* MOUNT/REL/FILE of hierarchy i, or the group's directory MOUNT/REL when file is NULL. */
static int v1_file(size_t i, const char *rel, const char *file, char *buf, size_t n,
		   struct ce_error *err)
{
	if (!file)
		return cg_path(buf, n, err, "%s/%s", v1.h[i].mount, rel);
	return cg_path(buf, n, err, "%s/%s/%s", v1.h[i].mount, rel, file);
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
	return !v1.h[i].unified && has_opt(v1.h[i].opts, "cpuset");
}

/* Every operation: a valid rel, the mounts read. */
static int v1_begin(const char *rel, struct ce_error *err)
{
	if (cg_check_rel(rel, err) < 0)
		return -1;
	v1_load();
	return 0;
}

/* ... and, for those that place processes, every hierarchy known. */
static int v1_begin_all(const char *rel, struct ce_error *err)
{
	if (v1_begin(rel, err) < 0)
		return -1;
	if (v1.overflow)
		return ce_error_set(err, E2BIG, "more than %d cgroup hierarchies under %s", CGROUP_SELF_MAX, v1.root);
	return 0;
}

static int v1_create(const char *rel, struct ce_error *err)
{
	if (v1_begin_all(rel, err) < 0)
		return -1;
	if (!v1.n)
		return ce_error_set(err, ENOENT, "no cgroup v1 controller mounted under %s", v1.root);
	for (size_t i = 0; i < v1.n; i++)
		if (cg_mkdir_p(v1.h[i].mount, rel, holds_cpuset(i) ? cpuset_level : NULL, err) < 0)
			return -1;
	return 0;
}

/* Does each container get its own group in hierarchy i (the unified tree: clone3 places it there)? */
static bool own_group(size_t i)
{
	if (v1.h[i].unified)
		return true;
	for (size_t k = 0; k < sizeof(v1_own) / sizeof(*v1_own); k++)
		if (has_opt(v1.h[i].opts, v1_own[k]))
			return true;
	return false;
}

/* Does lim write a file in hierarchy i? */
static bool limit_in(size_t i, const struct limits *lim)
{
	size_t n;
	const struct cg_limit_file *t = cgroup_limit_table(&n);

	for (size_t k = 0; k < n; k++)
		if (t[k].v1_file && cgroup_limit_is_set(t[k].id, lim) && v1_index(t[k].controller) == (int)i)
			return true;
	return false;
}

static int v1_create_leaf(const char *rel, const struct limits *lim, struct ce_error *err)
{
	if (v1_begin_all(rel, err) < 0)
		return -1;
	if (!v1.n)
		return ce_error_set(err, ENOENT, "no cgroup v1 controller mounted under %s", v1.root);
	for (size_t i = 0; i < v1.n; i++)
		if ((own_group(i) || limit_in(i, lim)) &&
		    cg_mkdir_p(v1.h[i].mount, rel, holds_cpuset(i) ? cpuset_level : NULL, err) < 0)
			return -1;
	return 0;
}

/* FILE of the group a process of rel joins in hierarchy i: rel's, or its parent's where create_leaf left
 * rel out (only in a hierarchy without a controller of v1_own: never the root, whatever rel is). */
static int v1_join_file(size_t i, const char *rel, const char *file, char *buf, size_t n, struct ce_error *err)
{
	const char *slash = strrchr(rel, '/');
	char dir[PATH_MAX];

	if (v1_file(i, rel, NULL, dir, sizeof(dir), err) < 0)
		return -1;
	if (own_group(i) || !slash || cg_is_dir(dir))
		return v1_file(i, rel, file, buf, n, err);
	return cg_path(buf, n, err, "%s/%.*s/%s", v1.h[i].mount, (int)(slash - rel), rel, file);
}

static int v1_apply(const char *rel, const struct limits *lim, struct ce_error *err)
{
	if (cg_check_rel(rel, err) < 0)
		return -1;
	return cgroup_limits_apply(CG_V1, rel, lim, cgroup_v1_dir, err);
}

/* The unified tree of a hybrid host, or -1. */
static int v1_unified(void)
{
	for (size_t i = 0; i < v1.n; i++)
		if (v1.h[i].unified)
			return (int)i;
	return -1;
}

/* Hybrid: clone3 places the child in the unified tree's group (without the global threadgroup
 * lock a write to its cgroup.procs takes, and the RCU grace period with it). */
static int v1_open_fd(const char *rel, struct ce_error *err)
{
	char dir[PATH_MAX];
	int u, fd;

	if (v1_begin_all(rel, err) < 0)
		return -1;
	u = v1_unified();
	if (u < 0)
		return ce_error_set(err, ENOTSUP, "cgroup v1 without a unified tree cannot place a child at clone time");
	if (v1_file((size_t)u, rel, NULL, dir, sizeof(dir), err) < 0)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ce_error_set(err, errno, "open %s", dir);
	return fd;
}

static int v1_enter(const char *rel, pid_t pid, struct ce_error *err)
{
	char path[PATH_MAX], value[32];

	if (v1_begin_all(rel, err) < 0)
		return -1;
	snprintf(value, sizeof(value), "%d", (int)pid);
	for (size_t i = 0; i < v1.n; i++)
		if (v1_join_file(i, rel, "cgroup.procs", path, sizeof(path), err) < 0 ||
		    cg_write(path, value, err) < 0)
			return -1;
	return 0;
}

static int v1_open_self(const char *rel, bool rest, int *fds, struct ce_error *err)
{
	char path[PATH_MAX];
	size_t n = 0;

	if (v1_begin_all(rel, err) < 0)
		return -1;
	for (size_t i = 0; i < v1.n; i++) {
		if (rest && v1.h[i].unified)
			continue;
		if (v1_join_file(i, rel, v1.h[i].unified ? "cgroup.procs" : "tasks", path, sizeof(path), err) < 0)
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
	int i = v1_index("freezer");

	if (i < 0 || v1_file((size_t)i, rel, "freezer.state", path, sizeof(path), &ignored) < 0 ||
	    cg_write(path, state, &ignored) < 0)
		return false;
	/* FREEZING until every task stopped; a task stuck in D state may never. */
	while (cg_read(path, now, sizeof(now), &ignored) == 0 && strcmp(now, state) &&
	       clock_mono_ms() < deadline)
		clock_sleep_ms(1);
	return true;
}

/* SIGKILL what every hierarchy lists, nested groups included; *seen = total listed. With
 * `remove_empty`, a hierarchy's group goes first when it can (rmdir succeeds only on a group
 * without processes or children: nothing to list there; destroy() then finds it gone). */
static int v1_kill_round(const char *rel, size_t *seen, bool remove_empty, struct ce_error *err)
{
	char dir[PATH_MAX];
	size_t n;

	*seen = 0;
	for (size_t i = 0; i < v1.n; i++) {
		if (v1_file(i, rel, NULL, dir, sizeof(dir), err) < 0)
			return -1;
		if (remove_empty && (rmdir(dir) == 0 || errno == ENOENT))
			continue;
		if (cg_kill_tree(dir, &n, err) < 0)
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
		if (v1_kill_round(rel, &seen, false, err) < 0)
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
	if (v1_kill_round(rel, &seen, true, err) < 0)
		return -1;
	if (!seen)
		return 0;
	/* Frozen tasks cannot fork while we read the lists; the SIGKILLs land on thaw. */
	frozen = v1_freeze(rel, "FROZEN");
	r = v1_kill_round(rel, &seen, false, err);
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
	for (size_t i = 0; i < v1.n; i++)
		if ((v1_file(i, rel, NULL, dir, sizeof(dir), &e) < 0 || cg_rmdir(dir, &e) < 0) && !first.code)
			first = e;
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
	int i = v1_index("memory");

	return i >= 0 ? i : v1.n ? 0 : -1;
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
	.create_leaf = v1_create_leaf,
	.apply = v1_apply,
	.devices = cgroup_v1_devices,
	.open_fd = v1_open_fd,
	.enter = v1_enter,
	.open_self = v1_open_self,
	.kill_all = v1_kill_all,
	.destroy = v1_destroy,
	.stats = v1_stats,
	.exists = v1_exists,
};
