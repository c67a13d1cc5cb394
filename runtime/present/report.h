/* SPDX-License-Identifier: MIT */
/* report.h: what `cengine test` prints: TAP-like lines, JUnit XML, JSON; everything a container said escaped. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "model/project.h"

/* What one check of p->checks came to (runtime_test fills it). */
struct check_outcome {
	bool passed;		/* the probe did what the check expects (expect = "fail": it failed) */
	bool probe_ok;		/* the probe itself succeeded */
	int attempts;
	double seconds;		/* wall time, attempts included */
	char target[48];	/* the address probed ("" for run) */
	char seen[400];		/* what was seen, in words (run: its output's tail; from the container: escape it) */
};
/* "a ping b", "c run sh -c ...", "a tcp web:8080": what check i is, for names and messages. */
void report_check_name(const struct project *p, const struct check *c, char *buf, size_t len);
/* "1..N" before the first line. */
void report_tap_plan(FILE *f, size_t n);
/* "ok I - NAME (ADDR)" or "not ok ...", then "# what was seen" (terminal-escaped). */
void report_tap_line(FILE *f, const struct project *p, size_t i, const struct check_outcome *o);
/* One <testsuite> (the file) with one <testcase> per check, a <failure> with what was seen. */
void report_junit(FILE *f, const struct project *p, const struct check_outcome *o, double seconds);
/* {"project": ..., "file": ..., "passed": N, "failed": N, "checks": [ ... ]} */
void report_json(FILE *f, const struct project *p, const struct check_outcome *o, double seconds);
