/* SPDX-License-Identifier: MIT */
/* test.c: `cengine test FILE [--up] [--down] [--junit F] [--json]`: run the file's checks from inside its containers. */
#include "cli/cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/present/report.h"
#include "runtime/verbs/verbs.h"
#include "util/cleanup.h"
#include "util/clock.h"

enum { OPT_UP = CLI_LONG_ONLY, OPT_DOWN, OPT_JUNIT, OPT_JSON, OPT_JOBS };

#define JOBS_DEFAULT 16
#define JOBS_MAX 1024
#define DOWN_GRACE_MS 10000

static const struct option longs[] = {
	CLI_FLAG("up", OPT_UP), CLI_FLAG("down", OPT_DOWN),			/* around the checks */
	CLI_VALUE("junit", OPT_JUNIT), CLI_FLAG("json", OPT_JSON), CLI_FLAG("quiet", 'q'),	/* the output */
	CLI_VALUE("jobs", 'j'),
	CLI_HELP_END,
};

struct test_cli {
	bool up, down, json, quiet;
	const char *junit;
	long jobs;
};

static int test_option(struct cli_args *a, int c, void *ctx)
{
	struct test_cli *t = ctx;

	switch (c) {
	case OPT_UP: t->up = true; break;
	case OPT_DOWN: t->down = true; break;
	case OPT_JSON: t->json = true; break;
	case 'q': t->quiet = true; break;
	case OPT_JUNIT: t->junit = optarg; break;
	case 'j':
		if (cli_long(a->verb, "--jobs", "a number of checks at once", 1, JOBS_MAX, &t->jobs) < 0)
			return CLI_BAD_INPUT;
		break;
	default: return cli_option_error(a, c);
	}
	return CLI_GO_ON;
}

/* SIGINT, SIGTERM or SIGHUP with --down: the checks stop, the project goes down, then we exit. */
static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	stopping = sig;
}

static void catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_stop };	/* no SA_RESTART: a wait returns at once */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void tap_report(const struct project *p, size_t i, const struct check_outcome *o, void *ctx)
{
	report_tap_line(ctx, p, i, o);
}

static int write_junit(const char *file, const struct project *p, const struct check_outcome *o, double seconds)
{
	FILE *f = fopen(file, "we");

	if (!f) {
		perror(file);
		return -1;
	}
	report_junit(f, p, o, seconds);
	if (fclose(f) != 0) {
		perror(file);
		return -1;
	}
	return 0;
}

/* The checks of a project that is up: CLI_OK when every one passed. */
static int run_checks(const struct project *p, const struct test_cli *t)
{
	_cleanup_free_ struct check_outcome *o = calloc(p->n_checks, sizeof(*o));
	struct ce_error err = { 0 };
	double start = clock_mono_s();
	int failed;

	if (!o)
		return CLI_FAILED;
	if (!t->json && !t->quiet)
		report_tap_plan(stdout, p->n_checks);
	failed = runtime_test(p, (int)t->jobs, o, t->json || t->quiet ? NULL : tap_report, stdout, &stopping, &err);
	if (failed < 0)
		return cli_fail(&err);
	if (t->json)
		report_json(stdout, p, o, clock_mono_s() - start);
	if (t->junit && write_junit(t->junit, p, o, clock_mono_s() - start) < 0)
		return CLI_FAILED;
	if (!t->json && !t->quiet)
		printf("# %zu passed, %d failed in %.3fs\n", p->n_checks - (size_t)failed, failed, clock_mono_s() - start);
	return failed ? CLI_FAILED : CLI_OK;
}

static const struct cli_options options = { "j:qh", longs, test_option };

static int test_main(const struct cli_verb *v, int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	const char *file = NULL;
	struct test_cli t = { .jobs = JOBS_DEFAULT };
	struct up_opts uo = { .quiet = true };
	struct ce_error err = { 0 };
	int rc = cli_read_file(v, argc, argv, &options, &t, &file, &p);

	if (rc != CLI_GO_ON)
		return rc;
	if (!p->n_checks) {
		fprintf(stderr, "cengine: test: %s has no tests = ( ... ) to run\n", file);
		return CLI_BAD_INPUT;
	}
	if (t.down)
		catch_stop();
	if (t.up)
		rc = cli_bring_up(p, &uo);
	else	/* subnet = "auto": what up picked */
		rc = runtime_subnets_resume(p, &err) < 0 ? cli_fail(&err) : CLI_OK;
	if (rc == CLI_OK && !stopping)
		rc = run_checks(p, &t);
	if (t.down && rc != CLI_BAD_INPUT && runtime_down(p->name, DOWN_GRACE_MS, &err) < 0) {
		cli_fail(&err);
		return CLI_FAILED;
	}
	if (stopping) {
		fprintf(stderr, "cengine: test: interrupted by signal %d%s\n", (int)stopping,
			t.down ? "; the project is down" : "");
		return CLI_FAILED;
	}
	return rc;
}

const struct cli_verb cli_test = {
	"test", test_main, "cengine test FILE [--up] [--down] [--junit FILE] [--json] [--jobs N]",
	"Run the checks of FILE's `tests` from inside its containers (cengine probes from each\n"
	"container's network namespace itself: no ping or nc needed in the image; run checks\n"
	"run as exec). Results in file order as TAP lines: \"ok N - ...\" then \"# what was seen\".\n"
	"  --up           bring the project up first (as up; it must fit this host)\n"
	"  --down         take it down afterwards, whatever the outcome (SIGINT, SIGTERM and\n"
	"                 SIGHUP too: the checks stop, the project goes down, exit 1)\n"
	"  --junit FILE   also write JUnit XML to FILE (one testsuite, one testcase per check)\n"
	"  --json         one JSON document on stdout instead of TAP lines\n"
	"  -j, --jobs N   checks at once, 1 to 1024 (default 16)\n"
	"  -q, --quiet    no TAP lines (the exit status and --junit only)\n"
	"  -p, --project NAME   as project NAME (bridges, veths, state named after it)\n"
	"Exit: 0 every check passed; 1 a check failed, or up, a check or down could not run;\n"
	"2 bad arguments, bad FILE, no tests, or FILE does not fit this host.\n",
};
