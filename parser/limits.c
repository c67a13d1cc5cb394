/* SPDX-License-Identifier: MIT */
/* limits.c: container keys for resource limits (cpu, memory, pids, cpu_weight, cpuset, memory_high, memory_swap, io_weight) and their checks. */
#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/internal.h"

#define WEIGHT_MIN 1
#define WEIGHT_MAX 10000

static const struct limits *limits_of(const void *obj)
{
	return &((const struct container *)obj)->limits;
}

/* "KEY VALUE" on the container's line when the limit is set. */
static void print_set(struct printer *pr, const char *key, uint64_t value)
{
	if (value)
		pv_print_field(pr, "%s %llu", key, (unsigned long long)value);
}

static int l_cpu(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	double cpu = 0;

	if (pv_get_number(ctx, s, path, &cpu) < 0)
		return -1;
	if (!(cpu > 0))
		return pv_fail_at(ctx, s, path, "must be greater than 0, got %g", cpu);
	if (cpu > (double)ctx->ncpu)
		return pv_fail_at(ctx, s, path, "%g is more than the %ld online CPUs", cpu, ctx->ncpu);
	c->limits.cpu = cpu;
	return 0;
}

/* cpu, memory and pids are always on the container's line ("-": unset); the others when set. */
static void l_print_cpu(struct printer *pr, const void *obj)
{
	const struct limits *l = limits_of(obj);

	if (l->cpu > 0)
		pv_print_field(pr, "cpu %g", l->cpu);
	else
		pv_print_field(pr, "cpu -");
}

static unsigned unit_shift(char unit)
{
	static const char units[] = "KMGT";
	const char *u = unit ? strchr(units, toupper((unsigned char)unit)) : NULL;

	return u ? 10 * (unsigned)(u - units + 1) : 0;
}

/* "50M", "50MB", "1g", "4096": powers of 1024, optional trailing B. */
int pv_parse_size(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str,
		      uint64_t *out)
{
	unsigned long long v;
	unsigned shift;
	char *end;

	if (!isdigit((unsigned char)*str))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a size like \"50M\"", str);
	errno = 0;
	v = strtoull(str, &end, 10);
	shift = unit_shift(*end);
	if (shift)
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return pv_fail_at(ctx, s, path, "\"%s\" has an unknown unit (use K, M, G or T)", str);
	if (errno == ERANGE || v > (UINT64_MAX >> shift))
		return pv_fail_at(ctx, s, path, "\"%s\" is too large", str);
	*out = (uint64_t)v << shift;
	return 0;
}

int pv_get_size(struct ctx *ctx, const config_setting_t *s, const char *path, bool allow_zero, uint64_t *out)
{
	long long bytes;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (pv_parse_size(ctx, s, path, config_setting_get_string(s), out) < 0)
			return -1;
	} else if (pv_is_integer(s)) {
		bytes = config_setting_get_int64(s);
		if (bytes < 0 || (bytes == 0 && !allow_zero))
			return pv_fail_at(ctx, s, path, "must be %s 0, got %lld",
					  allow_zero ? "at least" : "greater than", bytes);
		*out = (uint64_t)bytes;
	} else {
		return pv_fail_at(ctx, s, path, "expected a size like \"50M\" or a number of bytes");
	}
	if (!allow_zero && *out == 0)
		return pv_fail_at(ctx, s, path, "must be greater than 0");
	return 0;
}

static int get_memory(struct ctx *ctx, const config_setting_t *s, const char *path, uint64_t *out)
{
	if (pv_get_size(ctx, s, path, false, out) < 0)
		return -1;
	if (*out < MEMORY_MIN)
		return pv_fail_at(ctx, s, path, "%llu bytes is below the minimum of 4M (%llu bytes)",
				  (unsigned long long)*out, MEMORY_MIN);
	return 0;
}

static int l_memory(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return get_memory(ctx, s, path, &((struct container *)obj)->limits.memory);
}

static void l_print_memory(struct printer *pr, const void *obj)
{
	const struct limits *l = limits_of(obj);

	if (l->memory)
		pv_print_field(pr, "memory %llu", (unsigned long long)l->memory);
	else
		pv_print_field(pr, "memory -");
	if (l->rw_size)
		pv_print_line(pr, "writes: a tmpfs of at most %llu bytes (%s)", (unsigned long long)l->rw_size,
			      l->memory ? "memory" : "a quarter of this host's RAM; memory sets it");
}

static int l_memory_high(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return get_memory(ctx, s, path, &((struct container *)obj)->limits.memory_high);
}

static void l_print_memory_high(struct printer *pr, const void *obj)
{
	print_set(pr, "memory_high", limits_of(obj)->memory_high);
}

static int l_memory_swap(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	uint64_t swap = 0;

	if (pv_get_size(ctx, s, path, true, &swap) < 0)
		return -1;
	if (swap > (uint64_t)INT64_MAX)
		return pv_fail_at(ctx, s, path, "is too large");
	((struct container *)obj)->limits.memory_swap = (int64_t)swap;
	return 0;
}

static void l_print_memory_swap(struct printer *pr, const void *obj)
{
	const struct limits *l = limits_of(obj);

	if (l->memory_swap >= 0)
		pv_print_field(pr, "memory_swap %lld", (long long)l->memory_swap);
}

static int l_pids(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	long long pids = 0;

	if (pv_get_integer(ctx, s, path, &pids) < 0)
		return -1;
	if (pids <= 0)
		return pv_fail_at(ctx, s, path, "must be greater than 0, got %lld", pids);
	c->limits.pids = pids;
	return 0;
}

static void l_print_pids(struct printer *pr, const void *obj)
{
	const struct limits *l = limits_of(obj);

	if (l->pids == PIDS_DEFAULT)
		pv_print_field(pr, "pids %lld (default)", (long long)l->pids);
	else if (l->pids)
		pv_print_field(pr, "pids %lld", (long long)l->pids);
	else
		pv_print_field(pr, "pids -");
}

static int get_weight(struct ctx *ctx, const config_setting_t *s, const char *path, uint64_t *out)
{
	long long w = 0;

	if (pv_get_integer(ctx, s, path, &w) < 0)
		return -1;
	if (w < WEIGHT_MIN || w > WEIGHT_MAX)
		return pv_fail_at(ctx, s, path, "must be between %d and %d, got %lld", WEIGHT_MIN,
				  WEIGHT_MAX, w);
	*out = (uint64_t)w;
	return 0;
}

static int l_cpu_weight(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return get_weight(ctx, s, path, &((struct container *)obj)->limits.cpu_weight);
}

static void l_print_cpu_weight(struct printer *pr, const void *obj)
{
	print_set(pr, "cpu_weight", limits_of(obj)->cpu_weight);
}

static int l_io_weight(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return get_weight(ctx, s, path, &((struct container *)obj)->limits.io_weight);
}

static void l_print_io_weight(struct printer *pr, const void *obj)
{
	print_set(pr, "io_weight", limits_of(obj)->io_weight);
}

/* One CPU number of a cpuset list; *p advances past it. */
static int cpuset_number(struct ctx *ctx, const config_setting_t *s, const char *path,
			 const char *str, const char **p, long *out)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a CPU list like \"0\", \"0-1\" or \"0,2\"", str);
	errno = 0;
	*out = strtol(*p, &end, 10);
	if (errno || *out >= ctx->ncpu)
		return pv_fail_at(ctx, s, path, "\"%s\": CPU %.*s is not one of the %ld online CPUs (0-%ld)",
				  str, (int)(end - *p), *p, ctx->ncpu, ctx->ncpu - 1);
	*p = end;
	return 0;
}

/* "0", "0-1", "0,2-3": every CPU below ctx->ncpu, ranges ascending. */
static int check_cpuset(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str)
{
	const char *p = str;
	long lo, hi;

	for (;;) {
		if (cpuset_number(ctx, s, path, str, &p, &lo) < 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (cpuset_number(ctx, s, path, str, &p, &hi) < 0)
				return -1;
		}
		if (hi < lo)
			return pv_fail_at(ctx, s, path, "\"%s\": range %ld-%ld is backwards", str, lo, hi);
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			return pv_fail_at(ctx, s, path, "\"%s\" is not a CPU list like \"0\", \"0-1\" or \"0,2\"", str);
	}
}

static int l_cpuset(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	const char *str = NULL;
	char one[24];

	if (pv_is_integer(s)) {	/* cpuset = 0; as LXC's cpuset.cpus = 0 */
		snprintf(one, sizeof(one), "%lld", config_setting_get_int64(s));
		str = one;
	} else if (pv_get_string(ctx, s, path, &str) < 0) {
		return -1;
	}
	if (strlen(str) >= sizeof(c->limits.cpuset))
		return pv_fail_at(ctx, s, path, "\"%.20s...\" is longer than %zu bytes", str,
				  sizeof(c->limits.cpuset) - 1);
	if (check_cpuset(ctx, s, path, str) < 0)
		return -1;
	strcpy(c->limits.cpuset, str);
	return 0;
}

static void l_print_cpuset(struct printer *pr, const void *obj)
{
	const struct limits *l = limits_of(obj);

	if (l->cpuset[0])
		pv_print_field(pr, "cpuset %s", l->cpuset);
}

/* The setting that gave a limit its value: the container's own, else defaults'. */
static const config_setting_t *origin(struct ctx *ctx, const config_setting_t *s, const char *key,
				      const char *path, char *where)
{
	const config_setting_t *m = config_setting_get_member(s, key);

	if (m) {
		pv_path_key(where, path, key);
		return m;
	}
	pv_path_key(where, "defaults", key);
	return ctx->defaults ? config_setting_get_member(ctx->defaults, key) : s;
}

int pv_limits_check(struct ctx *ctx, const config_setting_t *s, const char *path, const struct container *c)
{
	const struct limits *l = &c->limits;
	const config_setting_t *at;
	char where[PATH_LEN];

	if (l->memory_high && l->memory && l->memory_high > l->memory) {
		at = origin(ctx, s, "memory_high", path, where);
		return pv_fail_at(ctx, at ? at : s, where,
				  "%llu bytes is above memory (%llu bytes); memory_high is the soft limit below it",
				  (unsigned long long)l->memory_high, (unsigned long long)l->memory);
	}
	if (l->memory_swap >= 0 && !l->memory) {
		at = origin(ctx, s, "memory_swap", path, where);
		return pv_fail_at(ctx, at ? at : s, where, "needs memory: swap is allowed on top of the memory limit");
	}
	return 0;
}

/* Printed in this order on the container's line, after rootfs. */
const struct key pv_limit_keys[] = {
	PV_KEY(l, cpu), PV_KEY(l, memory), PV_KEY(l, pids), PV_KEY(l, cpu_weight), PV_KEY(l, cpuset),
	PV_KEY(l, memory_high), PV_KEY(l, memory_swap), PV_KEY(l, io_weight), PV_END,
};
