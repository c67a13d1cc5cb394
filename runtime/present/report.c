/* SPDX-License-Identifier: MIT */
/* report.c: the results of `cengine test` as TAP-like lines, JUnit XML (as GitHub, GitLab and Jenkins read it) and JSON. */
#include "runtime/present/report.h"

#include <string.h>

#include "runtime/present/json.h"
#include "util/escape.h"

static const char *const kind_word[] = { "ping", "tcp", "udp", "run" };

static void append_argv(char *buf, size_t len, char *const *argv)
{
	for (; argv && *argv; argv++) {
		size_t used = strlen(buf);

		snprintf(buf + used, len - used, strchr(*argv, ' ') ? " \"%s\"" : " %s", *argv);
	}
}

void report_check_name(const struct project *p, const struct check *c, char *buf, size_t len)
{
	const char *from = p->containers[c->from].name;

	if (c->kind == CHECK_RUN) {
		snprintf(buf, len, "%s run", from);
		append_argv(buf, len, c->argv);
	} else if (c->kind == CHECK_PING) {
		snprintf(buf, len, "%s ping %s", from, c->target);
	} else {
		snprintf(buf, len, strchr(c->target, ':') ? "%s %s [%s]:%d" : "%s %s %s:%d", from, kind_word[c->kind],
			 c->target, c->port);
	}
	if (c->expect_fail) {
		size_t used = strlen(buf);

		snprintf(buf + used, len - used, " fails");
	}
}

void report_tap_plan(FILE *f, size_t n)
{
	fprintf(f, "1..%zu\n", n);
}

void report_tap_line(FILE *f, const struct project *p, size_t i, const struct check_outcome *o)
{
	char name[512], safe[2048];

	report_check_name(p, &p->checks[i], name, sizeof(name));
	fprintf(f, "%s %zu - %s", o->passed ? "ok" : "not ok", i + 1, escape_text(name, safe, sizeof(safe)));
	if (*o->target)
		fprintf(f, " (%s)", o->target);
	fprintf(f, "\n# %s", escape_text(o->seen, safe, sizeof(safe)));
	if (o->attempts > 1)
		fprintf(f, " (attempt %d)", o->attempts);
	fprintf(f, ", %.3fs\n", o->seconds);
	fflush(f);
}

static size_t count_failed(const struct project *p, const struct check_outcome *o)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_checks; i++)
		n += !o[i].passed;
	return n;
}

static void junit_case(FILE *f, const struct project *p, size_t i, const struct check_outcome *o)
{
	const struct check *c = &p->checks[i];
	char name[512];

	report_check_name(p, c, name, sizeof(name));
	fputs("    <testcase classname=\"", f);
	escape_xml(f, p->name);
	fprintf(f, ".%s\" name=\"%zu ", kind_word[c->kind], i + 1);
	escape_xml(f, name);
	fprintf(f, "\" file=\"");
	escape_xml(f, p->file ? p->file : "");
	fprintf(f, "\" line=\"%d\" time=\"%.3f\"", c->line, o->seconds);
	if (o->passed) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n      <failure message=\"", f);
	escape_xml(f, c->expect_fail ? "expected to fail, but it passed" : "failed");
	fputs("\" type=\"check\">", f);
	if (*o->target)
		fprintf(f, "%s: ", o->target);
	escape_xml(f, o->seen);
	fputs("</failure>\n    </testcase>\n", f);
}

void report_junit(FILE *f, const struct project *p, const struct check_outcome *o, double seconds)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cengine test\">\n  <testsuite name=\"", f);
	escape_xml(f, p->file ? p->file : p->name);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"%.3f\">\n", p->n_checks,
		count_failed(p, o), seconds);
	for (size_t i = 0; i < p->n_checks; i++)
		junit_case(f, p, i, &o[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
}

static void json_check(FILE *f, const struct project *p, size_t i, const struct check_outcome *o)
{
	const struct check *c = &p->checks[i];
	char name[512];

	report_check_name(p, c, name, sizeof(name));
	fprintf(f, "    {\"index\": %zu, \"line\": %d, \"kind\": \"%s\", \"from\": ", i + 1, c->line, kind_word[c->kind]);
	escape_json(f, p->containers[c->from].name);
	fputs(", \"name\": ", f);
	escape_json(f, name);
	fputs(", \"target\": ", f);
	escape_json(f, *o->target ? o->target : NULL);
	fprintf(f, ", \"expect\": \"%s\", \"passed\": %s, \"attempts\": %d, \"seconds\": %.3f, \"seen\": ",
		c->expect_fail ? "fail" : "pass", o->passed ? "true" : "false", o->attempts, o->seconds);
	escape_json(f, o->seen);
	fputs("}", f);
}

void report_json(FILE *f, const struct project *p, const struct check_outcome *o, double seconds)
{
	size_t failed = count_failed(p, o);

	fputs("{\"project\": ", f);
	escape_json(f, p->name);
	fputs(", \"file\": ", f);
	escape_json(f, p->file);
	fprintf(f, ", \"passed\": %zu, \"failed\": %zu, \"seconds\": %.3f, \"checks\": [\n", p->n_checks - failed,
		failed, seconds);
	for (size_t i = 0; i < p->n_checks; i++) {
		json_check(f, p, i, &o[i]);
		fputs(i + 1 < p->n_checks ? ",\n" : "\n", f);
	}
	fputs("]}\n", f);
}
