/* SPDX-License-Identifier: MIT */
/* tests_list.c: the top-level `tests` list: each entry one check, or a reach/unreach matrix expanded into ping checks in file order. */
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"
#include "parser/internal.h"

static struct check *check_add(struct ctx *ctx, const config_setting_t *s, const char *path)
{
	struct project *p = ctx->p;
	struct check *grown;

	if (p->n_checks >= CHECKS_MAX) {
		pv_fail_at(ctx, s, path, "more than %d checks (reach matrices expanded)", CHECKS_MAX);
		return NULL;
	}
	if (p->n_checks == ctx->checks_cap) {
		ctx->checks_cap = ctx->checks_cap ? 2 * ctx->checks_cap : 16;
		if (!(grown = realloc(p->checks, ctx->checks_cap * sizeof(*grown)))) {
			pv_oom(ctx);
			return NULL;
		}
		p->checks = grown;
	}
	return memset(&p->checks[p->n_checks++], 0, sizeof(*grown));
}

/* Container names of a list, each known; dup: may a name come twice. */
static int names_valid(struct ctx *ctx, const config_setting_t *s, const char *path, int min, int max)
{
	int n = config_setting_length(s);
	char elem[PATH_LEN];

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
		return pv_fail_at(ctx, s, path, "expected a list of container names [ \"a\", \"b\", ... ]");
	if (n < min || n > max)
		return pv_fail_at(ctx, s, path, max == 2 ? "expected a pair [ \"a\", \"b\" ]" : "expected at least 2 containers");
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		const char *str = NULL;

		pv_path_elem(elem, path, i);
		if (pv_get_string(ctx, e, elem, &str) < 0 || pv_check_container(ctx, e, elem, str) < 0)
			return -1;
		for (int k = 0; k < i; k++)
			if (!strcmp(str, config_setting_get_string_elem(s, k)))
				return pv_fail_at(ctx, e, elem, "\"%s\" is in the list twice", str);
	}
	return 0;
}

int pv_check_list_pairs(struct ctx *ctx, const struct check_spec *t, const config_setting_t *s, const char *path)
{
	char elem[PATH_LEN];

	if (s == t->reach)
		return names_valid(ctx, s, path, 2, CONTAINERS_MAX);
	if (pv_check_list(ctx, s, path, "[ \"a\", \"b\" ]") < 0)
		return -1;
	for (int i = 0; i < config_setting_length(s); i++) {
		pv_path_elem(elem, path, i);
		if (names_valid(ctx, config_setting_get_elem(s, i), elem, 2, 2) < 0)
			return -1;
	}
	return 0;
}

static long index_of(struct ctx *ctx, const config_setting_t *list, int i)
{
	return pv_check_container(ctx, list, "", config_setting_get_string_elem(list, i));
}

/* Is {a, b} (either way round) a pair of unreach? */
static bool cut_off(struct ctx *ctx, const config_setting_t *unreach, long a, long b)
{
	for (int i = 0; unreach && i < config_setting_length(unreach); i++) {
		const config_setting_t *pair = config_setting_get_elem(unreach, i);
		long x = index_of(ctx, pair, 0), y = index_of(ctx, pair, 1);

		if ((x == a && y == b) || (x == b && y == a))
			return true;
	}
	return false;
}

static int add_ping(struct ctx *ctx, const config_setting_t *e, const char *path, const struct check_spec *t, long from,
		    long to, bool fail)
{
	struct check *c = check_add(ctx, e, path);

	if (!c)
		return -1;
	*c = t->c;
	c->kind = CHECK_PING;
	c->from = (size_t)from;
	c->to = to;
	snprintf(c->target, sizeof(c->target), "%s", ctx->p->containers[to].name);
	c->expect_fail = fail;
	c->matrix = true;
	return 0;
}

/* Every ordered pair of reach not cut off passes; each unreach pair fails both ways. */
static int expand_matrix(struct ctx *ctx, const config_setting_t *e, const char *path, const struct check_spec *t)
{
	int n = t->reach ? config_setting_length(t->reach) : 0;

	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			long a = index_of(ctx, t->reach, i), b = index_of(ctx, t->reach, j);

			if (i != j && !cut_off(ctx, t->unreach, a, b) && add_ping(ctx, e, path, t, a, b, false) < 0)
				return -1;
		}
	for (int i = 0; t->unreach && i < config_setting_length(t->unreach); i++) {
		const config_setting_t *pair = config_setting_get_elem(t->unreach, i);
		long a = index_of(ctx, pair, 0), b = index_of(ctx, pair, 1);

		if (add_ping(ctx, e, path, t, a, b, true) < 0 || add_ping(ctx, e, path, t, b, a, true) < 0)
			return -1;
	}
	return 0;
}

static int load_entry(struct ctx *ctx, const config_setting_t *e, const char *path)
{
	struct check_spec t = { .c = { .max_loss = -1, .to = -1, .line = pv_line(ctx, e) } };
	struct check *c;
	int rc = -1;

	if (pv_apply_keys(ctx, e, path, &pv_check_group, &t) < 0 || pv_check_spec_valid(ctx, e, path, &t) < 0)
		goto out;
	if (t.reach || t.unreach) {
		rc = expand_matrix(ctx, e, path, &t);
		goto out;
	}
	if (!(c = check_add(ctx, e, path)))
		goto out;
	*c = t.c;
	t.c.argv = NULL, t.c.output = NULL;	/* the check has them now */
	rc = 0;
out:
	strv_free(t.c.argv);
	free(t.c.output);
	return rc;
}

int pv_tests_load(struct ctx *ctx, const config_setting_t *s, const char *path)
{
	char elem[PATH_LEN];

	if (pv_check_list(ctx, s, path, "{ from = ...; ping = ...; }") < 0)
		return -1;
	for (int i = 0; i < config_setting_length(s); i++) {
		pv_path_elem(elem, path, i);
		if (load_entry(ctx, config_setting_get_elem(s, i), elem) < 0)
			return -1;
	}
	return 0;
}
