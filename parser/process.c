/* SPDX-License-Identifier: MIT */
/* process.c: container keys for its process: command, env. */
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"
#include "parser/internal.h"

static int c_command(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_set_argv(ctx, s, path, &((struct container *)obj)->command);
}

/* The last field of the container's line: "command /bin/sh -c \"sleep 1\"", or "command (wait)". */
static void c_print_command(struct printer *pr, const void *obj)
{
	const struct container *c = obj;

	pv_print_field(pr, "command%s", c->command ? "" : " (wait)");
	pv_print_argv(pr->out, c->command);
}

/* "KEY=..." entries compared by KEY (tsearch(3) keys are slots of the env array). */
static int cmp_key(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t kx = strcspn(x, "="), ky = strcspn(y, "=");
	int c = strncmp(x, y, kx < ky ? kx : ky);

	return c ? c : (kx > ky) - (kx < ky);
}

static void nothing(void *p)
{
	(void)p;
}

/* *env with list's entries set in it: an entry replaces the one with its KEY, a new KEY goes at the
 * end; list's strings move into *env (O(n log n), whatever defaults and the entry give). */
static int env_merge(char ***env, char **list)
{
	size_t n = strv_length(*env), m = strv_length(list);
	char **v = realloc(*env, (n + m + 1) * sizeof(*v));
	void *keys = NULL, *node;
	int rc = 0;

	if (!v)
		return -1;
	*env = v;
	v[n] = NULL;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = tsearch(&v[i], &keys, cmp_key) ? 0 : -1;
	for (size_t i = 0; i < m && rc == 0; i++) {
		v[n] = list[i];	/* tried as the next slot: the slot of its KEY if there is one */
		if (!(node = tsearch(&v[n], &keys, cmp_key))) {
			v[n] = NULL;
			rc = -1;
			break;
		} else if (*(char ***)node != &v[n]) {
			free(**(char ***)node);
			**(char ***)node = list[i];
		} else {
			n++;
		}
		v[n] = NULL;
		list[i] = NULL;
	}
	tdestroy(keys, nothing);
	for (size_t i = 0; i < m; i++)	/* what is left after an error */
		free(list[i]);
	return rc;
}

static int c_env(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	char **list = NULL;
	char elem[PATH_LEN];

	if (pv_get_strv(ctx, s, path, &list) < 0)
		return -1;
	for (size_t i = 0; list && list[i]; i++) {
		pv_path_elem(elem, path, (int)i);
		if (list[i][0] == '=' || !strchr(list[i], '=')) {
			pv_fail_at(ctx, config_setting_get_elem(s, (unsigned)i), elem, "\"%s\" is not KEY=VALUE", list[i]);
			strv_free(list);
			return -1;
		}
	}
	if (list && env_merge(&c->env, list) < 0) {
		free(list);
		return pv_oom(ctx);
	}
	free(list);	/* its strings are in c->env now */
	return 0;
}

int pv_env_merge(struct ctx *ctx, char ***env, char **list)
{
	int rc = list ? env_merge(env, list) : 0;

	free(list);	/* its strings are in *env now (or freed) */
	return rc < 0 ? pv_oom(ctx) : 0;
}

static void c_print_env(struct printer *pr, const void *obj)
{
	for (char **e = ((const struct container *)obj)->env; e && *e; e++)
		pv_print_line(pr, "env %s", *e);
}

const struct key pv_process_keys[] = {
	PV_KEY(c, command),
	{ "env_file", pv_env_file, c_print_env, false },	/* before env: env overrides what the files set */
	PV_KEY(c, env), PV_END,
};
