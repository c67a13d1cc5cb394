/* SPDX-License-Identifier: MIT */
/* report.c: the results of `cengine test` as TAP-like lines, JUnit XML (as GitHub, GitLab and Jenkins read it) and JSON. */
#include "runtime/present/report.h"

#include <string.h>

#include "util/json.h"
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

/* seconds to the millisecond, as the text and JUnit forms show them (no libm: seconds are never negative) */
static json_t *json_ms(double seconds)
{
	return json_real((double)(long long)(seconds * 1000 + 0.5) / 1000);
}

static json_t *json_check(const struct project *p, size_t i, const struct check_outcome *o)
{
	const struct check *c = &p->checks[i];
	char name[512];

	report_check_name(p, c, name, sizeof(name));
	return json_pack("{s:I, s:i, s:s, s:o, s:o, s:o, s:s, s:b, s:i, s:o, s:o}", "index", (json_int_t)(i + 1),
			 "line", c->line, "kind", kind_word[c->kind], "from", json_text(p->containers[c->from].name),
			 "name", json_text(name), "target", json_text(*o->target ? o->target : NULL), "expect",
			 c->expect_fail ? "fail" : "pass", "passed", (int)o->passed, "attempts", o->attempts, "seconds",
			 json_ms(o->seconds), "seen", json_text(o->seen));
}

void report_json(FILE *f, const struct project *p, const struct check_outcome *o, double seconds)
{
	size_t failed = count_failed(p, o);
	json_t *checks = json_array();

	for (size_t i = 0; checks && i < p->n_checks; i++)
		if (json_array_append_new(checks, json_check(p, i, &o[i])) < 0)
			json_decref(checks), checks = NULL;
	json_print(f, json_pack("{s:o, s:o, s:I, s:I, s:o, s:o}", "project", json_text(p->name), "file",
				json_text(p->file), "passed", (json_int_t)(p->n_checks - failed), "failed",
				(json_int_t)failed, "seconds", json_ms(seconds), "checks", checks));
}
