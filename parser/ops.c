/* SPDX-License-Identifier: MIT */
/* ops.c: container keys for operations: ready, ready_timeout, restart. */
#include <stdio.h>
#include <string.h>

#include "model/strv.h"
#include "parser/internal.h"

#define READY_TIMEOUT_MAX 3600.0

static const char *const restart_words[] = {
	[RESTART_NO] = "no", [RESTART_ON_FAILURE] = "on-failure", [RESTART_ALWAYS] = "always",
};

static int c_ready(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_set_argv(ctx, s, path, &((struct container *)obj)->ready);
}

static void c_print_ready(struct printer *pr, const void *obj)
{
	const struct container *c = obj;

	if (!c->ready)
		return;
	fputs("  ready", pr->body);
	pv_print_argv(pr->body, c->ready);
	fputc('\n', pr->body);
}

static int c_ready_timeout(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	double t = 0;

	if (pv_get_number(ctx, s, path, &t) < 0)
		return -1;
	if (!(t > 0) || t > READY_TIMEOUT_MAX)
		return pv_fail_at(ctx, s, path, "must be more than 0 and at most %g seconds, got %g",
				  READY_TIMEOUT_MAX, t);
	c->ready_timeout = t;
	return 0;
}

/* Only when set (the default is the runtime's). */
static void c_print_ready_timeout(struct printer *pr, const void *obj)
{
	const struct container *c = obj;

	if (c->ready_timeout > 0)
		pv_print_line(pr, "ready_timeout %gs", c->ready_timeout);
}

static int c_restart(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(restart_words) / sizeof(*restart_words); i++)
		if (!strcmp(str, restart_words[i])) {
			c->restart = (enum restart_policy)i;
			return 0;
		}
	return pv_fail_at(ctx, s, path, "\"%s\" is not one of \"no\", \"on-failure\", \"always\"", str);
}

/* "no", the default, is not shown. */
static void c_print_restart(struct printer *pr, const void *obj)
{
	const struct container *c = obj;

	if (c->restart != RESTART_NO)
		pv_print_line(pr, "restart %s", restart_words[c->restart]);
}

const struct key pv_ops_keys[] = {
	PV_KEY(c, ready), PV_KEY(c, ready_timeout), PV_KEY(c, restart), PV_END,
};
