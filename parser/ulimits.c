/* SPDX-License-Identifier: MIT */
/* ulimits.c: container key ulimits ("nofile=65536:65536", "core=0"): prlimit(2) limits of its processes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "parser/internal.h"

static const struct { const char *name; int resource; } names[] = {
	{ "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU }, { "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE },
	{ "locks", RLIMIT_LOCKS }, { "memlock", RLIMIT_MEMLOCK }, { "msgqueue", RLIMIT_MSGQUEUE },
	{ "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS },
	{ "rtprio", RLIMIT_RTPRIO }, { "rttime", RLIMIT_RTTIME }, { "sigpending", RLIMIT_SIGPENDING },
	{ "stack", RLIMIT_STACK },
};
#define N_NAMES (sizeof(names) / sizeof(*names))
#define NOFILE_MAX (1u << 20)	/* the kernel's default fs.nr_open: more is refused by setrlimit */

static const char *name_of(int resource)
{
	for (size_t i = 0; i < N_NAMES; i++)
		if (names[i].resource == resource)
			return names[i].name;
	return "?";
}

/* "123" or "unlimited" / "-1" (RLIM_INFINITY). */
static bool parse_value(const char *s, size_t len, uint64_t *out)
{
	char buf[32], *end;
	unsigned long long v;

	if (!len || len >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
	if (!strcmp(buf, "unlimited") || !strcmp(buf, "-1")) {
		*out = RLIM_INFINITY;
		return true;
	}
	if (buf[0] < '0' || buf[0] > '9')
		return false;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || *end || v >= RLIM_INFINITY)
		return false;
	*out = v;
	return true;
}

/* "NAME=SOFT:HARD" or "NAME=VALUE" (both limits) into *u. */
static int parse_one(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str,
		     struct ulimit *u)
{
	size_t nlen = strcspn(str, "=");
	const char *val = str + nlen + 1, *colon;
	size_t i;

	for (i = 0; i < N_NAMES && (strlen(names[i].name) != nlen || strncmp(names[i].name, str, nlen)); i++)
		;
	if (!str[nlen] || i == N_NAMES)
		return pv_fail_at(ctx, s, path, "\"%s\" is not NAME=SOFT[:HARD] with NAME one of core, cpu, data, "
				  "fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack",
				  str);
	u->resource = names[i].resource;
	colon = strchr(val, ':');
	if (!parse_value(val, colon ? (size_t)(colon - val) : strlen(val), &u->soft) ||
	    !parse_value(colon ? colon + 1 : val, strlen(colon ? colon + 1 : val), &u->hard))
		return pv_fail_at(ctx, s, path, "\"%s\": a limit is a number or \"unlimited\"", str);
	if (u->soft > u->hard)
		return pv_fail_at(ctx, s, path, "\"%s\": the soft limit is above the hard one", str);
	if (u->resource == RLIMIT_NOFILE && u->hard != RLIM_INFINITY && u->hard > NOFILE_MAX)
		return pv_fail_at(ctx, s, path, "\"%s\": nofile is at most %u (fs.nr_open)", str, NOFILE_MAX);
	if (u->resource == RLIMIT_NOFILE && u->hard == RLIM_INFINITY)
		return pv_fail_at(ctx, s, path, "\"%s\": nofile cannot be unlimited", str);
	return 0;
}

static int c_ulimits(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct service_opts *svc = &((struct container *)obj)->svc;
	int n = config_setting_length(s);
	struct ulimit *v;
	char elem[PATH_LEN];

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
		return pv_fail_at(ctx, s, path, "expected a list of strings [ \"nofile=1024:4096\", ... ]");
	if (n == 0 || n > (int)N_NAMES)
		return pv_fail_at(ctx, s, path, "%d limits, 1 to %zu", n, N_NAMES);
	if (!(v = calloc((size_t)n, sizeof(*v))))
		return pv_oom(ctx);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *str = NULL;

		pv_path_elem(elem, path, i);
		if (pv_get_string(ctx, e, elem, &str) < 0 || parse_one(ctx, e, elem, str, &v[i]) < 0)
			goto on_error;
		for (int k = 0; k < i; k++)
			if (v[k].resource == v[i].resource) {
				pv_fail_at(ctx, e, elem, "%s is set twice", name_of(v[i].resource));
				goto on_error;
			}
	}
	free(svc->ulimits);
	svc->ulimits = v;
	svc->n_ulimits = (size_t)n;
	return 0;
on_error:
	free(v);
	return -1;
}

static void print_value(FILE *f, uint64_t v)
{
	if (v == RLIM_INFINITY)
		fputs("unlimited", f);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

/* "  ulimit nofile=1024:4096 core=0:0" */
static void c_print_ulimits(struct printer *pr, const void *obj)
{
	const struct service_opts *svc = &((const struct container *)obj)->svc;

	if (!svc->n_ulimits)
		return;
	fputs("  ulimits", pr->body);
	for (size_t i = 0; i < svc->n_ulimits; i++) {
		fprintf(pr->body, " %s=", name_of(svc->ulimits[i].resource));
		print_value(pr->body, svc->ulimits[i].soft);
		fputc(':', pr->body);
		print_value(pr->body, svc->ulimits[i].hard);
	}
	fputc('\n', pr->body);
}

const struct key pv_ulimit_keys[] = {
	PV_KEY(c, ulimits), PV_END,
};
