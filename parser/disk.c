/* SPDX-License-Identifier: MIT */
/* disk.c: container keys for what it may put on the host's disk: log_max_size, log_max_files, unpack_max_size, unpack_max_entries. */
#include <stdio.h>

#include "parser/internal.h"

#define LOG_SIZE_MIN 4096ull		/* one page: smaller files would rotate at every write */
#define UNPACK_SIZE_MIN (1ull << 20)

/* A size of at least min bytes into *out. */
static int get_size_min(struct ctx *ctx, const config_setting_t *s, const char *path, uint64_t min, uint64_t *out)
{
	uint64_t v = 0;

	if (pv_get_size(ctx, s, path, false, &v) < 0)
		return -1;
	if (v < min)
		return pv_fail_at(ctx, s, path, "%llu bytes is below the minimum of %llu bytes", (unsigned long long)v,
				  (unsigned long long)min);
	*out = v;
	return 0;
}

static int d_log_max_size(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return get_size_min(ctx, s, path, LOG_SIZE_MIN, &((struct container *)obj)->disk.log_max_size);
}

static int d_unpack_max_size(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return get_size_min(ctx, s, path, UNPACK_SIZE_MIN, &((struct container *)obj)->disk.unpack_max_size);
}

static int d_log_max_files(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	long long n = 0;

	if (pv_get_integer(ctx, s, path, &n) < 0)
		return -1;
	if (n < 1 || n > LOG_MAX_FILES_MAX)
		return pv_fail_at(ctx, s, path, "must be from 1 to %d, got %lld", LOG_MAX_FILES_MAX, n);
	((struct container *)obj)->disk.log_max_files = (int)n;
	return 0;
}

static int d_unpack_max_entries(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	long long n = 0;

	if (pv_get_integer(ctx, s, path, &n) < 0)
		return -1;
	if (n < 1)
		return pv_fail_at(ctx, s, path, "must be greater than 0, got %lld", n);
	((struct container *)obj)->disk.unpack_max_entries = (uint64_t)n;
	return 0;
}

/* The four keys' one printer (they are next to each other in the table): each when set (the
 * defaults are the runtime's). */
static void d_print(struct printer *pr, const void *obj)
{
	const struct disk_limits *d = &((const struct container *)obj)->disk;

	if (d->log_max_size)
		pv_print_line(pr, "log_max_size %llu", (unsigned long long)d->log_max_size);
	if (d->log_max_files)
		pv_print_line(pr, "log_max_files %d", d->log_max_files);
	if (d->unpack_max_size)
		pv_print_line(pr, "unpack_max_size %llu", (unsigned long long)d->unpack_max_size);
	if (d->unpack_max_entries)
		pv_print_line(pr, "unpack_max_entries %llu", (unsigned long long)d->unpack_max_entries);
}

const struct key pv_disk_keys[] = {
	{ "log_max_size", d_log_max_size, d_print, false }, { "log_max_files", d_log_max_files, d_print, false },
	{ "unpack_max_size", d_unpack_max_size, d_print, false },
	{ "unpack_max_entries", d_unpack_max_entries, d_print, false }, PV_END,
};
