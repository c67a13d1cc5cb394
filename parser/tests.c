/* SPDX-License-Identifier: MIT */
/* tests.c: one entry of `tests`: its keys (from, ping, tcp, udp, run, output, expect, timeout, ...), their printers and the checks across them. */
#include <arpa/inet.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/internal.h"
#include "parser/topo.h"

#define RETRIES_MAX 100
#define PING_COUNT_MAX 1000
#define TIMEOUT_MAX 3600.0

static const char *const kind_word[] = { "ping", "tcp", "udp", "run" };

/* The index of container `str`, or -1 after "unknown container". */
long pv_check_container(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str)
{
	const char *name = pv_name_find(ctx->names, str);

	if (!name)
		return pv_fail_at(ctx, s, path, "unknown container \"%s\"", str);
	return (long)((const struct container *)(name - offsetof(struct container, name)) - ctx->p->containers);
}

static int t_from(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;
	const char *str = NULL;
	long i;

	if (pv_get_string(ctx, s, path, &str) < 0 || (i = pv_check_container(ctx, s, path, str)) < 0)
		return -1;
	t->c.from = (size_t)i;
	t->has_from = true;
	return 0;
}

static bool is_address(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* "host" (ping) or "host:port", "[v6]:port" (tcp, udp) into target, to and port. */
static int split_target(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str,
			struct check *c)
{
	const char *colon = c->kind == CHECK_PING ? NULL : strrchr(str, ':');
	size_t len = colon ? (size_t)(colon - str) : strlen(str);
	char *end;
	long port = 0;

	if (c->kind != CHECK_PING) {
		if (!colon || !colon[1] || (port = strtol(colon + 1, &end, 10), *end) || port < 1 || port > 65535)
			return pv_fail_at(ctx, s, path, "\"%s\" is not NAME:PORT or ADDRESS:PORT (port 1..65535)", str);
		if (str[0] == '[' && len > 2 && str[len - 1] == ']')
			str++, len -= 2;
	}
	if (!len || len >= sizeof(c->target))
		return pv_fail_at(ctx, s, path, "\"%s\": the name or address is empty or too long", str);
	memcpy(c->target, str, len);
	c->target[len] = '\0';
	c->port = (int)port;
	c->to = -1;
	if (is_address(c->target))
		return 0;
	c->to = pv_check_container(ctx, s, path, c->target);
	return c->to < 0 ? -1 : 0;
}

/* ping, tcp, udp: what to probe. */
static int t_probe(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;
	const char *key = config_setting_name(s), *str = NULL;

	t->kinds++;
	t->c.kind = !strcmp(key, "ping") ? CHECK_PING : !strcmp(key, "tcp") ? CHECK_TCP : CHECK_UDP;
	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	return split_target(ctx, s, path, str, &t->c);
}

static int t_run(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;

	t->kinds++;
	t->c.kind = CHECK_RUN;
	return pv_set_argv(ctx, s, path, &t->c.argv);
}

static int t_output(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;
	const char *str = NULL;
	char why[128];
	regex_t re;
	int rc;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	rc = regcomp(&re, str, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
	if (rc) {
		regerror(rc, &re, why, sizeof(why));
		return pv_fail_at(ctx, s, path, "\"%s\" is not an extended regular expression: %s", str, why);
	}
	regfree(&re);
	if (!(t->c.output = strdup(str)))
		return pv_oom(ctx);
	return 0;
}

static int t_expect(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (strcmp(str, "fail") && strcmp(str, "pass"))
		return pv_fail_at(ctx, s, path, "\"%s\" is neither \"pass\" nor \"fail\"", str);
	t->c.expect_fail = !strcmp(str, "fail");
	return 0;
}

static int t_timeout(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;
	double v;

	if (pv_get_number(ctx, s, path, &v) < 0)
		return -1;
	if (!(v > 0 && v <= TIMEOUT_MAX))
		return pv_fail_at(ctx, s, path, "%g is not a number of seconds above 0 and at most %g", v, TIMEOUT_MAX);
	t->c.timeout = v;
	return 0;
}

static int t_int(struct ctx *ctx, const config_setting_t *s, const char *path, long long min, long long max, int *out)
{
	long long v;

	if (pv_get_integer(ctx, s, path, &v) < 0)
		return -1;
	if (v < min || v > max)
		return pv_fail_at(ctx, s, path, "%lld is outside %lld..%lld", v, min, max);
	*out = (int)v;
	return 0;
}

static int t_retries(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return t_int(ctx, s, path, 0, RETRIES_MAX, &((struct check_spec *)obj)->c.retries);
}

static int t_count(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;

	t->ping_only = t->ping_only ? t->ping_only : "count";
	return t_int(ctx, s, path, 1, PING_COUNT_MAX, &t->c.count);
}

/* max_rtt = "50ms" (a time as delay takes it), max_loss = "10%" (as loss). */
static int t_ping_limit(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;
	bool rtt = !strcmp(config_setting_name(s), "max_rtt");
	struct impair v = { 0 };

	t->ping_only = t->ping_only ? t->ping_only : config_setting_name(s);
	if (pv_impair_set(ctx, s, path, rtt ? "delay" : "loss", &v) < 0)
		return -1;
	if (rtt && !v.delay_us)
		return pv_fail_at(ctx, s, path, "must be more than 0");
	if (rtt)
		t->c.max_rtt = v.delay_us / 1e3;
	else
		t->c.max_loss = v.loss;
	return 0;
}

/* reach, unreach: read by the list (tests_list.c) once the entry's keys are in. */
static int t_matrix(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct check_spec *t = obj;

	if (!strcmp(config_setting_name(s), "reach"))
		t->reach = s;
	else
		t->unreach = s;
	t->kinds += !(t->reach && t->unreach);	/* both in one entry are one kind */
	return pv_check_list_pairs(ctx, t, s, path);
}

/* ---- what check shows: "test 3 (line 12): client tcp web:8080, expect fail, timeout 1s" ---- */

static void t_print_head(struct printer *pr, const void *obj)
{
	const struct check *c = obj;

	fprintf(pr->out, "test %zu (line %d)", (size_t)(c - pr->p->checks) + 1, c->line);
	pv_print_field(pr, "%s %s", pr->p->containers[c->from].name, kind_word[c->kind]);
	if (c->kind == CHECK_RUN)
		pv_print_argv(pr->out, c->argv);
	else if (c->kind == CHECK_PING)
		fprintf(pr->out, " %s", c->target);
	else
		fprintf(pr->out, strchr(c->target, ':') ? " [%s]:%d" : " %s:%d", c->target, c->port);
	if (c->matrix)
		fputs(c->expect_fail ? " (unreach)" : " (reach)", pr->out);
}

static void t_print_output(struct printer *pr, const void *obj)
{
	const struct check *c = obj;

	if (c->output)
		pv_print_field(pr, "output /%s/", c->output);
}

static void t_print_expect(struct printer *pr, const void *obj)
{
	if (((const struct check *)obj)->expect_fail)
		pv_print_field(pr, "expect fail");
}

static void t_print_numbers(struct printer *pr, const void *obj)
{
	const struct check *c = obj;

	if (c->timeout)
		pv_print_field(pr, "timeout %gs", c->timeout);
	if (c->retries)
		pv_print_field(pr, "retries %d", c->retries);
	if (c->count)
		pv_print_field(pr, "count %d", c->count);
	if (c->max_rtt)
		pv_print_field(pr, "max_rtt %gms", c->max_rtt);
	if (c->max_loss >= 0)
		pv_print_field(pr, "max_loss %g%%", c->max_loss);
}

static const struct key check_keys[] = {
	{ "from", t_from, t_print_head, false },
	{ "ping", t_probe, t_print_head, false },
	{ "tcp", t_probe, t_print_head, false },
	{ "udp", t_probe, t_print_head, false },
	{ "run", t_run, t_print_head, false },
	PV_KEY(t, output), PV_KEY(t, expect),
	{ "timeout", t_timeout, t_print_numbers, false },
	{ "retries", t_retries, t_print_numbers, false },
	{ "count", t_count, t_print_numbers, false },
	{ "max_rtt", t_ping_limit, t_print_numbers, false },
	{ "max_loss", t_ping_limit, t_print_numbers, false },
	{ "reach", t_matrix, t_print_head, false },
	{ "unreach", t_matrix, t_print_head, false },
	PV_END,
};

PV_KEY_GROUP(pv_check_group, "check", check_keys);

/* "PATH.KEY: why" on the entry's line. */
static int fail_key(struct ctx *ctx, const config_setting_t *e, const char *path, const char *key, const char *why)
{
	char sub[PATH_LEN];

	pv_path_key(sub, path, key);
	return pv_fail_at(ctx, e, sub, "%s", why);
}

/* What the keys of one entry may be together. */
int pv_check_spec_valid(struct ctx *ctx, const config_setting_t *e, const char *path, const struct check_spec *t)
{
	bool matrix = t->reach || t->unreach;

	if (t->kinds != 1)
		return pv_fail_at(ctx, e, path, "%s", t->kinds ? "one of ping, tcp, udp, run, reach (with unreach) only"
							  : "one of ping, tcp, udp, run, reach or unreach is missing");
	if (matrix && t->has_from)
		return fail_key(ctx, e, path, "from", "not with reach or unreach (they name every end)");
	if (!matrix && !t->has_from)
		return fail_key(ctx, e, path, "from", "missing");
	if (t->c.output && t->c.kind != CHECK_RUN)
		return fail_key(ctx, e, path, "output", "only with run");
	if (t->ping_only && t->c.kind != CHECK_PING)
		return fail_key(ctx, e, path, t->ping_only, "only with ping, reach or unreach");
	if (matrix && config_setting_get_member(e, "expect"))
		return fail_key(ctx, e, path, "expect", "not with reach or unreach (reach passes, unreach fails)");
	return 0;
}
