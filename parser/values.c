/* SPDX-License-Identifier: MIT */
/* values.c: parser building blocks: one-line errors with file:line, paths, typed getters, name rules, key tables. */
#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/naming.h"
#include "model/strv.h"
#include "parser/internal.h"
#include "parser/source.h"
#include "util/addr.h"
#include "util/cleanup.h"
#include "util/escape.h"

/* ---- errors and paths ---- */

__attribute__((format(printf, 4, 0)))
static int vfail(struct ctx *ctx, int line, const char *path, const char *fmt, va_list ap)
{
	char msg[CE_ERROR_MAX];
	const char *file;
	int file_line;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	escape_text_inplace(msg, sizeof(msg));	/* values quoted from the file stay one line (found by fuzz/) */
	if (!ctx->src) {
		ce_error_set(ctx->err, 0, "%s: %s", path, msg);
	} else {
		file = pv_source_where(ctx->src, line, &file_line);
		ce_error_set(ctx->err, 0, "%s:%d: %s: %s", file, file_line, path, msg);
	}
	if (ctx->err)
		ctx->err->code = EINVAL;
	return -1;
}

__attribute__((format(printf, 4, 5)))
int pv_fail_line(struct ctx *ctx, int line, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(ctx, line, path, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 4, 5)))
int pv_fail_at(struct ctx *ctx, const config_setting_t *s, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(ctx, config_setting_source_line(s), path, fmt, ap);
	va_end(ap);
	return -1;
}

int pv_oom(struct ctx *ctx)
{
	return ce_error_set(ctx->err, ENOMEM, "%s", ctx->file ? ctx->file : "project");
}

int pv_line(const struct ctx *ctx, const config_setting_t *s)
{
	int line = (int)config_setting_source_line(s);

	if (ctx->src)
		pv_source_where(ctx->src, line, &line);
	return line;
}

/* Paths are a few keys deep; an over-long one ends in "..." instead of overflowing. */
static void path_mark_cut(char out[PATH_LEN], int n)
{
	if (n < 0 || n >= PATH_LEN)
		strcpy(out + PATH_LEN - 4, "...");
}

void pv_path_key(char out[PATH_LEN], const char *parent, const char *key)
{
	path_mark_cut(out, snprintf(out, PATH_LEN, "%s%s%s", parent, *parent ? "." : "", key));
}

void pv_path_elem(char out[PATH_LEN], const char *parent, int index)
{
	path_mark_cut(out, snprintf(out, PATH_LEN, "%s.[%d]", parent, index));
}

/* ---- typed getters ---- */

int pv_get_string(struct ctx *ctx, const config_setting_t *s, const char *path, const char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return pv_fail_at(ctx, s, path, "expected a string");
	*out = config_setting_get_string(s);
	return 0;
}

bool pv_is_integer(const config_setting_t *s)
{
	return config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64;
}

int pv_get_integer(struct ctx *ctx, const config_setting_t *s, const char *path, long long *out)
{
	if (!pv_is_integer(s))
		return pv_fail_at(ctx, s, path, "expected an integer");
	*out = config_setting_get_int64(s);
	return 0;
}

int pv_get_number(struct ctx *ctx, const config_setting_t *s, const char *path, double *out)
{
	if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		*out = config_setting_get_float(s);
	else if (pv_is_integer(s))
		*out = (double)config_setting_get_int64(s);
	else
		return pv_fail_at(ctx, s, path, "expected a number");
	return 0;
}

int pv_check_list(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what)
{
	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return pv_fail_at(ctx, s, path, "expected a list ( %s, ... )", what);
	if (config_setting_length(s) == 0)
		return pv_fail_at(ctx, s, path, "must not be empty");
	return 0;
}

void *pv_list_alloc(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what,
		    const char *things, int max, size_t size)
{
	void *v;

	if (pv_check_list(ctx, s, path, what) < 0)
		return NULL;
	if (config_setting_length(s) > max) {
		pv_fail_at(ctx, s, path, "%d %s, at most %d", config_setting_length(s), things, max);
		return NULL;
	}
	v = calloc((size_t)config_setting_length(s), size);
	if (!v)
		pv_oom(ctx);
	return v;
}

/* A list or array of strings; empty strings are refused. NULL-terminated copy in *out (NULL for
 * an empty list), its bytes counted against MODEL_MAX. */
int pv_get_strv(struct ctx *ctx, const config_setting_t *s, const char *path, char ***out)
{
	int n = config_setting_length(s);
	char elem[PATH_LEN];
	char **v = NULL;

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
		return pv_fail_at(ctx, s, path, "expected a list of strings [ \"...\", ... ]");
	if (n && !(v = calloc((size_t)n + 1, sizeof(*v))))	/* one allocation: linear in the list */
		return pv_oom(ctx);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		const char *str = NULL;

		pv_path_elem(elem, path, i);
		if (pv_get_string(ctx, e, elem, &str) < 0 || pv_hold(ctx, e, elem, strlen(str) + MODEL_ITEM) < 0)
			goto on_error;
		if (!*str) {
			pv_fail_at(ctx, e, elem, "must not be empty");
			goto on_error;
		}
		if (!(v[i] = strdup(str))) {
			pv_oom(ctx);
			goto on_error;
		}
	}
	*out = v;
	return 0;
on_error:
	strv_free(v);
	return -1;
}

/* An interface MTU, MTU_MIN..MTU_MAX. */
int pv_get_mtu(struct ctx *ctx, const config_setting_t *s, const char *path, int *out)
{
	long long mtu = 0;

	if (pv_get_integer(ctx, s, path, &mtu) < 0)
		return -1;
	if (mtu < MTU_MIN || mtu > MTU_MAX)
		return pv_fail_at(ctx, s, path, "%lld is outside %d..%d", mtu, MTU_MIN, MTU_MAX);
	*out = (int)mtu;
	return 0;
}

/* A non-empty command line (pv_get_strv) replacing *dst. */
int pv_set_argv(struct ctx *ctx, const config_setting_t *s, const char *path, char ***dst)
{
	char **argv = NULL;

	if (pv_get_strv(ctx, s, path, &argv) < 0)
		return -1;
	if (!argv)
		return pv_fail_at(ctx, s, path, "must not be empty");
	strv_free(*dst);
	*dst = argv;
	return 0;
}

/* ---- name rules ---- */

static bool valid_name(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

/* RFC 1123: dot-separated labels of letters, digits and inner hyphens. */
int pv_set_strv_checked(struct ctx *ctx, const config_setting_t *s, const char *path, char ***dst, pv_strv_item_fn ok)
{
	char **list = NULL;
	char elem[PATH_LEN];

	if (pv_get_strv(ctx, s, path, &list) < 0)
		return -1;
	if (!list)
		return pv_fail_at(ctx, s, path, "must not be empty");
	for (size_t i = 0; list[i]; i++) {
		pv_path_elem(elem, path, (int)i);
		if (ok(ctx, config_setting_get_elem(s, (unsigned)i), elem, list, i) < 0) {
			strv_free(list);
			return -1;
		}
	}
	strv_free(*dst);
	*dst = list;
	return 0;
}

bool pv_valid_hostname(const char *s)
{
	size_t label = 0;

	for (const char *c = s;; c++) {
		if (*c == '.' || !*c) {
			if (!label || c[-1] == '-')
				return false;
			if (!*c)
				return true;
			label = 0;
		} else if (isalnum((unsigned char)*c) || (*c == '-' && label)) {
			label++;
		} else {
			return false;
		}
	}
}

bool pv_valid_ifname(const char *s)
{
	return *s && strcmp(s, ".") && strcmp(s, "..") && strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == strlen(s);
}

int pv_get_name(struct ctx *ctx, const config_setting_t *s, const char *path, size_t size,
		bool (*valid)(const char *), const char *what, const char **out)
{
	if (pv_get_string(ctx, s, path, out) < 0)
		return -1;
	if (strlen(*out) >= size)
		return pv_fail_at(ctx, s, path, "\"%s\" is longer than %zu bytes", *out, size - 1);
	if (!valid(*out))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a valid %s", *out, what);
	return 0;
}

/* Name of a network or container: rule, then copy into out[CE_NAME_MAX]. */
int pv_set_name(struct ctx *ctx, const config_setting_t *s, const char *path, char *out)
{
	const char *str = NULL;

	if (pv_get_name(ctx, s, path, CE_NAME_MAX, valid_name, "name ([A-Za-z0-9][A-Za-z0-9_.-]*)", &str) < 0)
		return -1;
	strcpy(out, str);
	return 0;
}

/* ---- group dispatch ---- */

static const struct key *key_find(const struct key_group *g, const char *name)
{
	for (const struct key *const *t = g->tables; *t; t++)
		for (const struct key *k = *t; k->name; k++)
			if (!strcmp(k->name, name))
				return k;
	return NULL;
}

static int check_keys(struct ctx *ctx, const config_setting_t *group, const char *path,
		      const struct key_group *g)
{
	char sub[PATH_LEN];

	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, i);
		const struct key *k = key_find(g, config_setting_name(s));

		pv_path_key(sub, path, config_setting_name(s));
		if (!k)
			return pv_fail_at(ctx, s, sub, "unknown key");
		if (k->container_only && ctx->in_defaults)
			return pv_fail_at(ctx, s, sub, "not allowed in defaults");
	}
	return 0;
}

int pv_apply_keys(struct ctx *ctx, const config_setting_t *group, const char *path,
		  const struct key_group *g, void *obj)
{
	char sub[PATH_LEN];

	if (!config_setting_is_group(group))
		return pv_fail_at(ctx, group, path, "expected a group { ... }");
	if (check_keys(ctx, group, path, g) < 0)
		return -1;
	for (const struct key *const *t = g->tables; *t; t++)
		for (const struct key *k = *t; k->name; k++) {
			const config_setting_t *s = config_setting_get_member(group, k->name);

			if (!s)
				continue;
			pv_path_key(sub, path, k->name);
			if (k->parse(ctx, s, sub, obj) < 0)
				return -1;
		}
	return 0;
}

int pv_require(struct ctx *ctx, const config_setting_t *group, const char *path, const char *key)
{
	char sub[PATH_LEN];

	if (!config_setting_is_group(group))
		return pv_fail_at(ctx, group, path, "expected a group { ... }");
	if (config_setting_get_member(group, key))
		return 0;
	pv_path_key(sub, path, key);
	return pv_fail_at(ctx, group, sub, "missing");
}


int pv_get_bool(struct ctx *ctx, const config_setting_t *s, const char *path, bool *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return pv_fail_at(ctx, s, path, "expected true or false");
	*out = config_setting_get_bool(s);
	return 0;
}
