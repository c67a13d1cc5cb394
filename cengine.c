/* SPDX-License-Identifier: MIT */
/* cengine.c: command-line entry point; parses the verb and its options, then calls the runtime. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parser/name.h"
#include "parser/parser.h"
#include "runtime/container.h"
#include "runtime/run.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define USAGE_ERROR (-1)	/* a verb's arguments are wrong: main prints its usage */

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static int fail(const struct ce_error *err, int code)
{
	fprintf(stderr, "cengine: %s\n", err->msg);
	return code;
}

/* Load FILE; a bad file is exit status 2 with its one-line message. */
static int load(const char *file, struct project **p)
{
	struct ce_error err = { 0 };

	if (parser_load(file, p, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int want_help(int argc, char **argv, const char *usage)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: %s\n", usage);
			return 1;
		}
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;

	if (argc != 2)
		return USAGE_ERROR;
	if (load(argv[1], &p) < 0)
		return EXIT_USAGE;
	parser_print_plan(p, stdout);
	return 0;
}

static int cmd_up(int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	struct up_opts o = { 0 };
	struct ce_error err = { 0 };
	const char *file = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			o.quiet = true;
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			return USAGE_ERROR;
	}
	if (!file)
		return USAGE_ERROR;
	if (load(file, &p) < 0)
		return EXIT_USAGE;
	if (runtime_up(p, &o, NULL, &err) < 0)
		return fail(&err, EXIT_FAIL);
	return 0;
}

/* down FILE: the project named in FILE (its `name`, else the file name);
 * also works when FILE no longer parses or is a bare project name. */
static int cmd_down(int argc, char **argv)
{
	struct ce_error err = { 0 };
	char project[CE_PROJECT_MAX + 1];
	const char *target = NULL;
	int grace_ms = 10000;

	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-t") || !strcmp(argv[i], "--timeout")) && i + 1 < argc)
			grace_ms = (int)(strtod(argv[++i], NULL) * 1000);
		else if (!target && argv[i][0] != '-')
			target = argv[i];
		else
			return USAGE_ERROR;
	}
	if (!target)
		return USAGE_ERROR;
	if (parser_project_name(target, project, sizeof(project), &err) < 0)
		return fail(&err, EXIT_USAGE);
	if (runtime_down(project, grace_ms, &err) < 0)
		return fail(&err, EXIT_FAIL);
	return 0;
}

static int cmd_ps(int argc, char **argv)
{
	struct ce_error err = { 0 };
	char project[CE_PROJECT_MAX + 1];

	if (argc > 2)
		return USAGE_ERROR;
	if (argc == 2 && parser_project_name(argv[1], project, sizeof(project), &err) < 0)
		return fail(&err, EXIT_USAGE);
	if (runtime_ps(argc == 2 ? project : NULL, stdout, &err) < 0)
		return fail(&err, EXIT_FAIL);
	return 0;
}

static int cmd_exec(int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	struct ce_error err = { 0 };
	int dash = 1, rc;

	while (dash < argc && strcmp(argv[dash], "--"))
		dash++;
	if (dash != 3 || dash + 1 >= argc)
		return USAGE_ERROR;
	if (load(argv[1], &p) < 0)
		return EXIT_USAGE;
	fflush(stdout);
	rc = runtime_exec(p, argv[2], argv + dash + 1, &err);
	if (rc < 0)
		return fail(&err, EXIT_FAIL);
	return rc;
}

static const struct verb verbs[] = {
	{ "up", cmd_up, "cengine up FILE [--quiet]" },
	{ "down", cmd_down, "cengine down FILE|PROJECT [--timeout SECONDS]" },
	{ "ps", cmd_ps, "cengine ps [FILE|PROJECT]" },
	{ "exec", cmd_exec, "cengine exec FILE NAME -- CMD [ARG...]" },
	{ "run", run_main, RUN_USAGE },
	{ "check", cmd_check, "cengine check FILE" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %s\n", verbs[i].usage);
	fprintf(out, "See cengine(1) and cengine.conf(5).\n");
}

int main(int argc, char **argv)
{
	container_set_argv(argc, argv);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("cengine %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[1], verbs[i].name))
			continue;
		if (want_help(argc - 1, argv + 1, verbs[i].usage))
			return 0;
		int rc = verbs[i].fn(argc - 1, argv + 1);

		if (rc == USAGE_ERROR) {
			fprintf(stderr, "usage: %s\n", verbs[i].usage);
			return EXIT_USAGE;
		}
		return rc;
	}
	fprintf(stderr, "cengine: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
