/* SPDX-License-Identifier: MIT */
/* depends.c: container key depends_on, and the check once every container is read: known names, no cycle. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"
#include "parser/internal.h"
#include "util/cleanup.h"

#define CYCLE_TEXT 512

static int ok_unique(struct ctx *ctx, const config_setting_t *s, const char *path, char **list, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(list[k], list[i]))
			return pv_fail_at(ctx, s, path, "\"%s\" is listed twice", list[i]);
	return 0;
}

static int c_depends_on(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_set_strv_checked(ctx, s, path, &((struct container *)obj)->svc.depends_on, ok_unique);
}

/* "  depends_on db web" */
static void c_print_depends_on(struct printer *pr, const void *obj)
{
	char *const *v = ((const struct container *)obj)->svc.depends_on;

	if (!v)
		return;
	fputs("  depends_on", pr->body);
	for (; *v; v++)
		fprintf(pr->body, " %s", *v);
	fputs(" (its command starts once they are ready)\n", pr->body);
}

const struct key pv_depends_keys[] = {
	{ "depends_on", c_depends_on, c_print_depends_on, true },	/* not in defaults */
	PV_END,
};

/* Each name of c's depends_on to an index into the containers. */
static int resolve(struct ctx *ctx, struct container *c, const config_setting_t *e, int entry)
{
	const config_setting_t *s = config_setting_get_member(e, "depends_on");
	size_t n = strv_length(c->svc.depends_on);
	char path[PATH_LEN];
	const char *name;

	if (!(c->svc.depends = calloc(n, sizeof(*c->svc.depends))))
		return pv_oom(ctx);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "containers.[%d].depends_on.[%zu]", entry, i);
		if (!(name = pv_name_find(ctx->names, c->svc.depends_on[i])))
			return pv_fail_at(ctx, config_setting_get_elem(s, (unsigned)i), path, "unknown container \"%s\"",
					  c->svc.depends_on[i]);
		c->svc.depends[i] = (size_t)((const struct container *)(name - offsetof(struct container, name)) -
					    ctx->p->containers);
		if (!strcmp(name, c->name))
			return pv_fail_at(ctx, config_setting_get_elem(s, (unsigned)i), path, "a container cannot depend on itself");
		c->svc.n_depends++;
	}
	return 0;
}

/* "a -> b -> a": the path from its container `from` on, back to it, into text. */
static void cycle_text(const struct project *p, const size_t *path, size_t from, size_t depth, char text[CYCLE_TEXT])
{
	FILE *f = fmemopen(text, CYCLE_TEXT, "w");

	if (!f) {
		snprintf(text, CYCLE_TEXT, "through %s", p->containers[path[from]].name);
		return;
	}
	for (size_t k = from; k <= depth; k++)
		fprintf(f, "%s -> ", p->containers[path[k]].name);
	fprintf(f, "%s", p->containers[path[from]].name);
	fputc('\0', f);
	fclose(f);
	text[CYCLE_TEXT - 1] = '\0';
}

/* Depth-first from `at`: true when it reaches a container on the current path, a cycle: its names
 * into text, its first container into *start. state: 0 new, 1 on the path, 2 done. */
static bool visit(const struct project *p, size_t at, unsigned char *state, size_t *path, size_t depth,
		  size_t *start, char text[CYCLE_TEXT])
{
	const struct service_opts *svc = &p->containers[at].svc;

	path[depth] = at;
	state[at] = 1;
	for (size_t i = 0; i < svc->n_depends; i++) {
		size_t next = svc->depends[i], from = 0;

		if (state[next] == 1) {
			while (path[from] != next)
				from++;
			cycle_text(p, path, from, depth, text);
			*start = next;
			return true;
		}
		if (state[next] == 0 && visit(p, next, state, path, depth + 1, start, text))
			return true;
	}
	state[at] = 2;
	return false;
}

static int find_cycle(struct ctx *ctx, const struct pv_entries *x)
{
	const struct project *p = ctx->p;
	_cleanup_free_ unsigned char *state = calloc(p->n_containers + 1, 1);
	_cleanup_free_ size_t *path = calloc(p->n_containers + 1, sizeof(*path));
	char text[CYCLE_TEXT], where[PATH_LEN];
	size_t start = 0;

	if (!state || !path)
		return pv_oom(ctx);
	for (size_t i = 0; i < p->n_containers; i++) {
		if (state[i] || !visit(p, i, state, path, 0, &start, text))
			continue;
		snprintf(where, sizeof(where), "containers.[%d].depends_on", x->index[start]);
		return pv_fail_at(ctx, config_setting_get_member(x->setting[start], "depends_on"), where, "cycle %s", text);
	}
	return 0;
}

int pv_depends_check(struct ctx *ctx, const config_setting_t *root)
{
	struct pv_entries x = { 0 };
	int rc = pv_entries_build(ctx, root, &x);

	for (size_t i = 0; i < ctx->p->n_containers && rc == 0; i++)
		if (ctx->p->containers[i].svc.depends_on)
			rc = resolve(ctx, &ctx->p->containers[i], x.setting[i], x.index[i]);
	if (rc == 0)
		rc = find_cycle(ctx, &x);
	pv_entries_free(&x);
	return rc;
}
