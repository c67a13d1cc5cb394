/* SPDX-License-Identifier: MIT */
/* plan.c: print the resolved plan of a project (`cengine check`) through the printers of the key tables. */
#include "parser/parser.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/internal.h"

__attribute__((format(printf, 2, 3)))
void pv_print_field(struct printer *pr, const char *fmt, ...)
{
	va_list ap;

	fputs(pr->fields++ ? ", " : ": ", pr->out);
	va_start(ap, fmt);
	vfprintf(pr->out, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
void pv_print_line(struct printer *pr, const char *fmt, ...)
{
	va_list ap;

	fputs("  ", pr->body);
	va_start(ap, fmt);
	vfprintf(pr->body, fmt, ap);
	va_end(ap);
	fputc('\n', pr->body);
}

static void print_arg(const char *arg, FILE *f)
{
	if (*arg && !arg[strcspn(arg, " \t\n\"\\'$")]) {
		fputs(arg, f);
		return;
	}
	fputc('"', f);
	for (; *arg; arg++) {
		if (*arg == '"' || *arg == '\\')
			fputc('\\', f);
		fputc(*arg, f);
	}
	fputc('"', f);
}

void pv_print_argv(FILE *f, char *const *argv)
{
	for (; argv && *argv; argv++) {
		fputc(' ', f);
		print_arg(*argv, f);
	}
}

/* Does a key before k in g have k's printer (so it has run already)? */
static bool printed_before(const struct key_group *g, const struct key *k)
{
	for (const struct key *const *t = g->tables; *t; t++)
		for (const struct key *e = *t; e->name; e++) {
			if (e == k)
				return false;
			if (e->print == k->print)
				return true;
		}
	return false;
}

void pv_print_keys(struct printer *pr, const struct key_group *g, const void *obj)
{
	for (const struct key *const *t = g->tables; *t; t++)
		for (const struct key *k = *t; k->name; k++)
			if (!printed_before(g, k))
				k->print(pr, obj);
}

void pv_print_object(struct printer *pr, const struct key_group *g, const void *obj)
{
	struct printer one = { .p = pr->p, .out = pr->out };
	char *body = NULL;
	size_t len = 0;

	one.body = open_memstream(&body, &len);
	if (!one.body) {
		pr->failed = true;
		return;
	}
	pv_print_keys(&one, g, obj);
	if (fclose(one.body) != 0 || one.failed)
		pr->failed = true;
	fputc('\n', pr->out);
	if (body)
		fwrite(body, 1, len, pr->out);
	free(body);
}

int parser_print_plan(const struct project *p, FILE *out)
{
	struct printer pr = { .p = p, .out = out, .body = out };

	pv_print_keys(&pr, &pv_root_group, p);
	if (pr.failed) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}
