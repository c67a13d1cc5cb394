/* SPDX-License-Identifier: MIT */
/* common.c: what every verb of the command line shares: the argv walk, its error lines, numbers, loading FILE. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parser/name.h"
#include "parser/parser.h"
#include "util/escape.h"
#include "util/num.h"

void cli_args_init(struct cli_args *a, const struct cli_verb *v, int argc, char **argv, const char *shorts,
		   const struct option *longs)
{
	*a = (struct cli_args){ .verb = v, .argc = argc, .argv = argv, .shorts = shorts, .longs = longs };
	snprintf(a->optstring, sizeof(a->optstring), "-:%s", shorts);
	optind = 0;	/* glibc: start over, also with another argv */
	opterr = 0;
}

int cli_next(struct cli_args *a)
{
	int c;

	if (!a->rest) {
		/* "-": in order, operands come back as 1, whatever POSIXLY_CORRECT says */
		c = getopt_long(a->argc, a->argv, a->optstring, a->longs, NULL);
		if (c == CLI_OPERAND)
			a->operand = optind - 1;
		if (c != -1)
			return c;
		a->rest = true;	/* the end, or "--": what is left are operands */
	}
	if (optind >= a->argc)
		return -1;
	a->operand = optind++;
	return CLI_OPERAND;
}

static int operand_error(const struct cli_args *a, const struct cli_operands *ops)
{
	const char *extra = a->argv[a->operand];

	if (ops->max == 2)
		return cli_usage_error(a->verb, "%s and %s only, not also '%s'", ops->names[0], ops->names[1], extra);
	return cli_usage_error(a->verb, "one %s%s, not also '%s'", ops->names[0], ops->min ? "" : " at most", extra);
}

int cli_parse(struct cli_args *a, cli_option_fn opt, void *ctx, struct cli_operands *ops)
{
	int c, rc;

	while ((c = cli_next(a)) != -1) {
		if (c == 'h')
			return cli_help(a->verb);
		if (c == CLI_OPERAND) {
			if (ops->n == ops->max)
				return operand_error(a, ops);
			ops->v[ops->n++] = a->argv[a->operand];
			continue;
		}
		rc = c == '?' || c == ':' || !opt ? cli_option_error(a, c) : opt(a, c, ctx);
		if (rc != CLI_GO_ON)
			return rc;
	}
	if (ops->n < ops->min)
		return cli_usage_error(a->verb, "%s is missing", ops->names[ops->n]);
	return CLI_GO_ON;
}

int cli_read(const struct cli_verb *v, int argc, char **argv, const struct cli_options *o, void *ctx,
	     struct cli_operands *ops)
{
	struct cli_args a;

	cli_args_init(&a, v, argc, argv, o->shorts, o->longs);
	return cli_parse(&a, o->fn, ctx, ops);
}

int cli_help(const struct cli_verb *v)
{
	printf("usage: %s\n\n%s", v->usage, v->help);
	return CLI_OK;
}

int cli_usage_error(const struct cli_verb *v, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cengine: %s: ", v->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; usage: %s\n", v->usage);
	return CLI_BAD_INPUT;
}

int cli_value_error(const struct cli_verb *v, const char *option, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cengine: %s: %s: ", v->name, option);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_BAD_INPUT;
}

/* getopt_long's optopt is 0 for an unknown long option, the option's val for a known one given a
 * value it does not take ("--json=x"), and the character for an unknown short one ("-x"). */
int cli_option_error(const struct cli_args *a, int code)
{
	const char *arg = a->argv[optind - 1];
	bool known = optopt >= CLI_LONG_ONLY || (optopt > 0 && strchr(a->shorts, optopt));
	int len = (int)strcspn(arg, "=");

	if (code == ':' && !strncmp(arg, "--", 2))
		return cli_usage_error(a->verb, "option '%.*s' needs a value", len, arg);
	if (code == ':')
		return cli_usage_error(a->verb, "option '-%c' needs a value", optopt);
	if (optopt == 0)
		return cli_usage_error(a->verb, "unknown option '%.*s'", len, arg);
	if (known)
		return cli_usage_error(a->verb, "option '%.*s' takes no value", len, arg);
	return cli_usage_error(a->verb, "unknown option '-%c'", optopt);
}

int cli_long(const struct cli_verb *v, const char *option, const char *what, long min, long max, long *out)
{
	struct ce_error err = { 0 };

	if (num_parse_long(optarg, min, max, what, out, &err) < 0) {
		cli_value_error(v, option, "%s", err.msg);
		return -1;
	}
	return 0;
}

int cli_double(const struct cli_verb *v, const char *option, const char *what, double min, double max,
	       double *out)
{
	struct ce_error err = { 0 };

	if (num_parse_double(optarg, min, max, what, out, &err) < 0) {
		cli_value_error(v, option, "%s", err.msg);
		return -1;
	}
	return 0;
}

int cli_load(const char *file, struct project **p)
{
	struct ce_error err = { 0 };

	char line[4 * CE_ERROR_MAX];

	if (parser_load(file, p, &err) < 0) {
		fprintf(stderr, "%s\n", escape_text(err.msg, line, sizeof(line)));	/* "FILE:LINE: setting: why" */
		return -1;
	}
	return 0;
}

int cli_project_name(const char *target, char *project)
{
	struct ce_error err = { 0 };

	if (parser_project_name(target, project, CE_PROJECT_MAX + 1, &err) < 0) {
		cli_fail(&err);
		return -1;
	}
	return 0;
}

/* Every message in the terminal form of util/escape.h: some quote an archive, a container or a file. */
int cli_fail(const struct ce_error *err)
{
	char line[4 * CE_ERROR_MAX];

	fprintf(stderr, "cengine: %s\n", escape_text(err->msg, line, sizeof(line)));
	return CLI_FAILED;
}

int cli_one_operand(const struct cli_verb *v, int argc, char **argv, const char *name,
		    int (*fn)(const char *operand, FILE *out, struct ce_error *err))
{
	static const struct option longs[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *const names[] = { name };
	struct cli_operands ops = { names, 1, 1, { NULL }, 0 };
	struct ce_error err = { 0 };
	struct cli_args a;
	int rc;

	cli_args_init(&a, v, argc, argv, "h", longs);
	rc = cli_parse(&a, NULL, NULL, &ops);
	if (rc != CLI_GO_ON)
		return rc;
	return fn(ops.v[0], stdout, &err) < 0 ? cli_fail(&err) : CLI_OK;
}
