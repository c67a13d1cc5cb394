/* SPDX-License-Identifier: MIT */
/* impair.c: netem/tbf impairment values: delay and jitter ("50ms"), loss ("10%"), rate ("10mbit"), and how check shows them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parser/topo.h"

struct unit {
	const char *name;
	double factor;
};

static const struct unit time_units[] = {	/* to microseconds */
	{ "us", 1 }, { "ms", 1e3 }, { "s", 1e6 },
};

static const struct unit rate_units[] = {	/* to bytes per second (tc's units, SI) */
	{ "bit", 1.0 / 8 }, { "kbit", 1e3 / 8 }, { "mbit", 1e6 / 8 }, { "gbit", 1e9 / 8 },
	{ "bps", 1 }, { "kbps", 1e3 }, { "mbps", 1e6 }, { "gbps", 1e9 },
};

/* "12.5ms" -> 12500 with time_units; -1 when the number or unit is wrong. */
static double scaled(const char *str, const struct unit *units, size_t n)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(str, &end);
	if (end == str || errno || v < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(end, units[i].name))
			return v * units[i].factor;
	return -1;
}

static int set_time(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str,
		    uint32_t *out)
{
	double us = scaled(str, time_units, sizeof(time_units) / sizeof(*time_units));

	if (us < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" is not a time like \"50ms\" (us, ms, s)", str);
	if (us > 60e6)
		return pv_fail_at(ctx, s, path, "\"%s\" is more than 60s", str);
	*out = (uint32_t)(us + 0.5);
	return 0;
}

static int set_loss(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str,
		    double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(str, &end);
	if (end == str || errno || strcmp(end, "%") || v < 0 || v > 100)
		return pv_fail_at(ctx, s, path, "\"%s\" is not a percentage like \"1%%\" (0%% to 100%%)", str);
	*out = v;
	return 0;
}

static int set_rate(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str,
		    uint64_t *out)
{
	double bps = scaled(str, rate_units, sizeof(rate_units) / sizeof(*rate_units));

	if (bps < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" is not a rate like \"10mbit\" (bit, kbit, mbit, gbit, bps, kbps, mbps, gbps)",
				  str);
	if (bps < 1000 || bps > 4e9)
		return pv_fail_at(ctx, s, path, "\"%s\" is outside 8kbit..32gbit", str);
	*out = (uint64_t)bps;
	return 0;
}

int pv_impair_set(struct ctx *ctx, const config_setting_t *s, const char *path, const char *key,
		  struct impair *im)
{
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!strcmp(key, "delay"))
		return set_time(ctx, s, path, str, &im->delay_us);
	if (!strcmp(key, "jitter"))
		return set_time(ctx, s, path, str, &im->jitter_us);
	if (!strcmp(key, "loss"))
		return set_loss(ctx, s, path, str, &im->loss);
	return set_rate(ctx, s, path, str, &im->rate);
}

bool pv_impair_is_set(const struct impair *im)
{
	return im->delay_us || im->jitter_us || im->loss > 0 || im->rate;
}

void pv_impair_print(const struct impair *im, FILE *out)
{
	impair_print(im, out);
}
