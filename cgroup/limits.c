/* SPDX-License-Identifier: MIT */
/* cgroup/limits.c: the table mapping each resource limit to its v1 and v2 files, and its walker. */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CPU_PERIOD_US UINT64_C(100000)
#define CPU_QUOTA_MIN_US UINT64_C(1000)		/* the kernel rejects quotas below 1 ms */
#define CPU_QUOTA_MAX_US ((UINT64_C(1) << 44) - 1)	/* keeps double -> integer defined */
#define CPU_SHARES_DEFAULT UINT64_C(1024)
#define CPU_SHARES_MIN UINT64_C(2)
#define CPU_SHARES_MAX UINT64_C(262144)
#define CG_WEIGHT_DEFAULT UINT64_C(100)
#define BFQ_WEIGHT_MAX UINT64_C(1000)

void cgroup_cpu_to_quota(double cpu, uint64_t *quota_us, uint64_t *period_us)
{
	double q = cpu * (double)CPU_PERIOD_US + 0.5;

	*period_us = CPU_PERIOD_US;
	if (!(q >= (double)CPU_QUOTA_MIN_US))	/* also NaN */
		*quota_us = CPU_QUOTA_MIN_US;
	else if (q >= (double)CPU_QUOTA_MAX_US)
		*quota_us = CPU_QUOTA_MAX_US;
	else
		*quota_us = (uint64_t)q;
}

static int fmt_result(int len, size_t n)
{
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static int fmt_cpu_period(const struct limits *lim, char *buf, size_t n)
{
	uint64_t quota, period;

	cgroup_cpu_to_quota(lim->cpu, &quota, &period);
	return fmt_result(snprintf(buf, n, "%" PRIu64, period), n);
}

static int fmt_cpu_quota(const struct limits *lim, char *buf, size_t n)
{
	uint64_t quota, period;

	cgroup_cpu_to_quota(lim->cpu, &quota, &period);
	return fmt_result(snprintf(buf, n, "%" PRIu64, quota), n);
}

static int fmt_cpu_max(const struct limits *lim, char *buf, size_t n)
{
	uint64_t quota, period;

	cgroup_cpu_to_quota(lim->cpu, &quota, &period);
	return fmt_result(snprintf(buf, n, "%" PRIu64 " %" PRIu64, quota, period), n);
}

static int fmt_memory(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "%" PRIu64, lim->memory), n);
}

static int fmt_unlimited(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "-1"), n);
}

static int fmt_pids(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "%" PRId64, lim->pids), n);
}

/* v1 memsw counts memory plus swap; unset swap means none. */
static int fmt_memsw(const struct limits *lim, char *buf, size_t n)
{
	uint64_t swap = lim->memory_swap > 0 ? (uint64_t)lim->memory_swap : 0;

	if (swap > UINT64_MAX - lim->memory)
		return -1;
	return fmt_result(snprintf(buf, n, "%" PRIu64, lim->memory + swap), n);
}

static int fmt_swap(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "%" PRId64, lim->memory_swap > 0 ? lim->memory_swap : 0), n);
}

static int fmt_memory_high(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "%" PRIu64, lim->memory_high), n);
}

/* cpu.weight 100 (the default) is cpu.shares 1024 (the default). */
uint64_t cgroup_weight_to_shares(uint64_t weight)
{
	uint64_t shares = weight * CPU_SHARES_DEFAULT / CG_WEIGHT_DEFAULT;

	return shares < CPU_SHARES_MIN ? CPU_SHARES_MIN : shares > CPU_SHARES_MAX ? CPU_SHARES_MAX : shares;
}

static int fmt_cpu_shares(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "%" PRIu64, cgroup_weight_to_shares(lim->cpu_weight)), n);
}

static int fmt_cpu_weight(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "%" PRIu64, lim->cpu_weight), n);
}

static int fmt_cpuset(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "%s", lim->cpuset), n);
}

/* BFQ on v1 takes 1..1000 (default 100, the same as io.weight's). */
static int fmt_bfq_weight(const struct limits *lim, char *buf, size_t n)
{
	uint64_t w = lim->io_weight > BFQ_WEIGHT_MAX ? BFQ_WEIGHT_MAX : lim->io_weight;

	return fmt_result(snprintf(buf, n, "%" PRIu64, w), n);
}

static int fmt_io_weight(const struct limits *lim, char *buf, size_t n)
{
	return fmt_result(snprintf(buf, n, "default %" PRIu64, lim->io_weight), n);
}

/* Written top to bottom. v1 requires memory.memsw.limit_in_bytes >=
 * memory.limit_in_bytes at every step, so memsw is lifted first, then the
 * limit moves, then memsw is pinned to limit + memory_swap (0: no swap).
 * The controller names the v1 hierarchy too, except "io", which is v1's blkio. */
static const struct cg_limit_file limit_files[] = {
	/* id, controller, v1 file, v2 file, then v1 and v2 formatters, optional */
	{ CG_LIMIT_CPU,    "cpu",    "cpu.cfs_period_us",           NULL,
	  fmt_cpu_period, NULL, false },
	{ CG_LIMIT_CPU,    "cpu",    "cpu.cfs_quota_us",            "cpu.max",
	  fmt_cpu_quota, fmt_cpu_max, false },
	{ CG_LIMIT_MEMORY, "memory", "memory.memsw.limit_in_bytes", NULL,
	  fmt_unlimited, NULL, true },
	{ CG_LIMIT_MEMORY, "memory", "memory.limit_in_bytes",       "memory.max",
	  fmt_memory, fmt_memory, false },
	{ CG_LIMIT_MEMORY, "memory", "memory.memsw.limit_in_bytes", "memory.swap.max",
	  fmt_memsw, fmt_swap, true },
	{ CG_LIMIT_MEMORY_HIGH, "memory", "memory.soft_limit_in_bytes", "memory.high",
	  fmt_memory_high, fmt_memory_high, false },
	{ CG_LIMIT_PIDS,   "pids",   "pids.max",                    "pids.max",
	  fmt_pids, fmt_pids, false },
	{ CG_LIMIT_CPU_WEIGHT, "cpu", "cpu.shares",                 "cpu.weight",
	  fmt_cpu_shares, fmt_cpu_weight, false },
	{ CG_LIMIT_CPUSET, "cpuset", "cpuset.cpus",                 "cpuset.cpus",
	  fmt_cpuset, fmt_cpuset, false },
	/* Needs BFQ (v1, v2) or io.cost (v2) on the host: skipped where absent. */
	{ CG_LIMIT_IO_WEIGHT, "io",  "blkio.bfq.weight",            "io.weight",
	  fmt_bfq_weight, fmt_io_weight, true },
};

const struct cg_limit_file *cgroup_limit_table(size_t *n)
{
	*n = sizeof(limit_files) / sizeof(limit_files[0]);
	return limit_files;
}

bool cgroup_limit_is_set(enum cg_limit id, const struct limits *lim)
{
	switch (id) {
	case CG_LIMIT_CPU:
		return lim->cpu > 0;
	case CG_LIMIT_MEMORY:
		return lim->memory > 0;
	case CG_LIMIT_PIDS:
		return lim->pids > 0;
	case CG_LIMIT_CPU_WEIGHT:
		return lim->cpu_weight > 0;
	case CG_LIMIT_CPUSET:
		return lim->cpuset[0] != '\0';
	case CG_LIMIT_MEMORY_HIGH:
		return lim->memory_high > 0;
	case CG_LIMIT_IO_WEIGHT:
		return lim->io_weight > 0;
	}
	return false;
}

const char *cgroup_limit_file_name(const struct cg_limit_file *f, enum cg_version v)
{
	return v == CG_V1 ? f->v1_file : f->v2_file;
}

int cgroup_limit_format(const struct cg_limit_file *f, enum cg_version v,
			const struct limits *lim, char *buf, size_t n)
{
	cg_format_fn fmt = v == CG_V1 ? f->v1_format : f->v2_format;

	return fmt ? fmt(lim, buf, n) : -1;
}

/* Directories one apply() can write to: one per v1 hierarchy with a limit file, one on v2. */
#define CG_LIMIT_DIRS 8

/* The group's directories opened during one apply(). */
struct cg_open_dirs {
	struct {
		char path[PATH_MAX];
		int fd;
	} d[CG_LIMIT_DIRS];
	size_t n;
};

static void open_dirs_close(struct cg_open_dirs *o)
{
	for (size_t i = 0; i < o->n; i++)
		close(o->d[i].fd);
}

/* The fd of `dir`, opened on first use; its index in o, or -1. */
static int open_dirs_get(struct cg_open_dirs *o, const char *dir, struct ce_error *err)
{
	int fd;

	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->d[i].path, dir))
			return (int)i;
	if (o->n == CG_LIMIT_DIRS)
		return ce_error_set(err, E2BIG, "cgroup %s: too many hierarchies", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ce_error_set(err, errno == ENOTDIR ? ENOENT : errno, "cgroup %s", dir);
	snprintf(o->d[o->n].path, sizeof(o->d[o->n].path), "%s", dir);
	o->d[o->n].fd = fd;
	return (int)o->n++;
}

static int apply_one(const struct cg_limit_file *f, enum cg_version v, const char *rel,
		     const struct limits *lim, cg_dir_fn dir_of, struct cg_open_dirs *o,
		     struct ce_error *err)
{
	const char *file = cgroup_limit_file_name(f, v);
	char dir[PATH_MAX], value[64];
	int i;

	if (dir_of(f->controller, rel, dir, sizeof(dir), err) < 0)
		return ce_error_wrap(err, "%s limit", f->controller);
	i = open_dirs_get(o, dir, err);
	if (i < 0)
		return ce_error_wrap(err, "%s limit", f->controller);
	if (!cg_exists_at(o->d[i].fd, file)) {
		if (f->optional)
			return 0;
		return ce_error_set(err, ENOTSUP,
				    "%s limit: cgroup controller '%s' is not available in %s (no %s)",
				    f->controller, f->controller, dir, file);
	}
	if (cgroup_limit_format(f, v, lim, value, sizeof(value)) < 0)
		return ce_error_set(err, EOVERFLOW, "%s limit: cannot format %s", f->controller, file);
	return cg_write_at(o->d[i].fd, dir, file, value, err);
}

int cgroup_limits_apply(enum cg_version v, const char *rel, const struct limits *lim,
			cg_dir_fn dir_of, struct ce_error *err)
{
	struct cg_open_dirs o = { .n = 0 };
	int r = 0;

	for (size_t i = 0; lim && i < sizeof(limit_files) / sizeof(limit_files[0]) && r == 0; i++) {
		const struct cg_limit_file *f = &limit_files[i];

		if (cgroup_limit_is_set(f->id, lim) && cgroup_limit_file_name(f, v))
			r = apply_one(f, v, rel, lim, dir_of, &o, err);
	}
	open_dirs_close(&o);
	return r;
}
