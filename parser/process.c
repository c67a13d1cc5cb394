/* SPDX-License-Identifier: MIT */
/* process.c: container keys for its process: command, env. */
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

/* Set KEY=VALUE in *env, replacing an entry with the same KEY. */
static int env_put(char ***env, const char *entry)
{
	size_t klen = strcspn(entry, "=");

	for (char **e = *env; e && *e; e++) {
		char *dup;

		if (strncmp(*e, entry, klen) || (*e)[klen] != '=')
			continue;
		dup = strdup(entry);
		if (!dup)
			return -1;
		free(*e);
		*e = dup;
		return 0;
	}
	return strv_push(env, entry);
}

static int c_env(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	char **list = NULL;
	char elem[PATH_LEN];
	int r = 0;

	if (pv_get_strv(ctx, s, path, &list) < 0)
		return -1;
	for (size_t i = 0; r == 0 && list && list[i]; i++) {
		pv_path_elem(elem, path, (int)i);
		if (list[i][0] == '=' || !strchr(list[i], '='))
			r = pv_fail_at(ctx, config_setting_get_elem(s, (unsigned)i), elem,
				       "\"%s\" is not KEY=VALUE", list[i]);
		else if (env_put(&c->env, list[i]) < 0)
			r = pv_oom(ctx);
	}
	strv_free(list);
	return r;
}

static void c_print_env(struct printer *pr, const void *obj)
{
	for (char **e = ((const struct container *)obj)->env; e && *e; e++)
		pv_print_line(pr, "env %s", *e);
}

const struct key pv_process_keys[] = {
	{ "command", c_command, c_print_command, false },
	{ "env", c_env, c_print_env, false },
	{ .name = NULL },
};
