/* SPDX-License-Identifier: MIT */
/* cengine.c: command-line entry point; parses the verb and its options, then calls the runtime. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/strv.h"
#include "parser/name.h"
#include "parser/parser.h"
#include "runtime/inside/container.h"
#include "runtime/inside/execopts.h"
#include "runtime/present/progress.h"
#include "runtime/present/pty.h"
#include "runtime/verbs/run.h"
#include "runtime/verbs/verbs.h"
#include "util/cleanup.h"
#include "util/timing.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define USAGE_ERROR (-1)	/* a verb's arguments are wrong: main prints its usage */

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static void strv_freep(char ***v)
{
	strv_free(*v);
}

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

static int want_help(int argc, char **argv, const char *usage, const char *help)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: %s\n\n%s", usage, help);
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
	bool json = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			o.quiet = true;
		else if (!strcmp(argv[i], "--json"))
			json = o.quiet = true;
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			return USAGE_ERROR;
	}
	if (!file)
		return USAGE_ERROR;
	if (load(file, &p) < 0)
		return EXIT_USAGE;
	progress_set(!o.quiet);
	rc = runtime_preflight(p, &err);
	if (rc > 0) {	/* the file does not fit this host: bad input, "FILE:LINE: setting: why" */
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_USAGE;
	}
	if (rc < 0)
		return fail(&err, EXIT_FAIL);
	if (runtime_up(p, &o, NULL, &err) < 0)
		return fail(&err, EXIT_FAIL);
	if (json && runtime_ps_json(p->name, stdout, &err) < 0)
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
	const char *target = NULL;
	bool json = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!target && argv[i][0] != '-')
			target = argv[i];
		else
			return USAGE_ERROR;
	}
	if (target && parser_project_name(target, project, sizeof(project), &err) < 0)
		return fail(&err, EXIT_USAGE);
	rc = json ? runtime_ps_json(target ? project : NULL, stdout, &err)
		  : runtime_ps(target ? project : NULL, stdout, &err);
	return rc < 0 ? fail(&err, EXIT_FAIL) : 0;
}

/* logs [-f] [--tail N] FILE|PROJECT NAME */
static int cmd_logs(int argc, char **argv)
{
	struct ce_error err = { 0 };
	char project[CE_PROJECT_MAX + 1];
	const char *pos[2] = { NULL, NULL };
	bool follow = false;
	long tail = -1;
	size_t npos = 0;
	char *end;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--follow")) {
			follow = true;
		} else if ((!strcmp(argv[i], "--tail") || !strcmp(argv[i], "-n")) && i + 1 < argc) {
			tail = strtol(argv[++i], &end, 10);
			if (*end || tail < 0 || end == argv[i])
				return USAGE_ERROR;
		} else if (npos < 2 && argv[i][0] != '-') {
			pos[npos++] = argv[i];
		} else {
			return USAGE_ERROR;
		}
	}
	if (npos != 2)
		return USAGE_ERROR;
	if (parser_project_name(pos[0], project, sizeof(project), &err) < 0)
		return fail(&err, EXIT_USAGE);
	if (runtime_logs(project, pos[1], tail, follow, stdout, &err) < 0)
		return fail(&err, EXIT_FAIL);
	return 0;
}

/* One exec option at argv[*i] (-i -t -it -e KEY=VAL -w DIR); false if it is not one. */
static bool exec_option(int argc, char **argv, int *i, struct exec_opts *o, char ***env)
{
	const char *a = argv[*i];

	if (!strcmp(a, "-i") || !strcmp(a, "--interactive"))
		o->interactive = true;
	else if (!strcmp(a, "-t") || !strcmp(a, "--tty"))
		o->tty = true;
	else if (!strcmp(a, "-it") || !strcmp(a, "-ti"))
		o->interactive = o->tty = true;
	else if ((!strcmp(a, "-e") || !strcmp(a, "--env")) && *i + 1 < argc && strchr(argv[*i + 1], '=') &&
		 argv[*i + 1][0] != '=')
		return strv_push(env, argv[++*i]) == 0;
	else if ((!strcmp(a, "-w") || !strcmp(a, "--workdir")) && *i + 1 < argc && argv[*i + 1][0] == '/')
		o->workdir = argv[++*i];
	else
		return false;
	return true;
}

/* exec [-i] [-t] [-e KEY=VAL]... [-w DIR] FILE NAME -- CMD [ARG...] */
static int cmd_exec(int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	_cleanup_(strv_freep) char **env = NULL;
	struct exec_opts o = { .pty = { -1, -1 } };
	struct ce_error err = { 0 };
	const char *pos[2] = { NULL, NULL };
	int dash = 1, npos = 0, rc;

	for (; dash < argc && strcmp(argv[dash], "--"); dash++) {
		if (npos < 2 && argv[dash][0] != '-')
			pos[npos++] = argv[dash];
		else if (!exec_option(argc, argv, &dash, &o, &env))
			return USAGE_ERROR;
	}
	if (npos != 2 || dash + 1 >= argc)
		return USAGE_ERROR;
	o.env = env;
	if (load(pos[0], &p) < 0)
		return EXIT_USAGE;
	fflush(stdout);
	rc = runtime_exec(p, pos[1], argv + dash + 1, &o, &err);
	pty_close(&o.pty);
	if (rc < 0)
		return fail(&err, EXIT_FAIL);
	return rc;
}

static const struct verb verbs[] = {
	{ "up", cmd_up, "cengine up FILE [--quiet] [--json]",
	  "Start every container of FILE; return once all run with their network and every\n"
	  "`ready` command succeeded. Already up: says so, changes nothing, exit 0.\n"
	  "  -q, --quiet   no progress lines (they are only shown on a terminal anyway)\n"
	  "  --json        print the project's JSON document (as ps --json) when up\n"
	  "Exit: 0 up; 1 failed (everything made is removed again); 2 bad FILE or FILE does\n"
	  "not fit this host (subnet overlaps a host address or route).\n" },
	{ "down", cmd_down, "cengine down FILE|PROJECT [--timeout SECONDS]",
	  "Stop the project's containers (SIGTERM, then SIGKILL after the grace time) and remove\n"
	  "everything up made, after a crash too. A project that is not up: nothing to do, exit 0.\n"
	  "  -t, --timeout SECONDS   grace time before SIGKILL (default 10)\n" },
	{ "ps", cmd_ps, "cengine ps [FILE|PROJECT] [--json]",
	  "List containers: PROJECT NAME STATE PID CPU% MEM MEMMAX PIDS OOM ADDRESSES.\n"
	  "CPU% is the usage over a 0.1 s sample, in percent of one CPU. Without FILE: all\n"
	  "projects on this host.\n"
	  "  --json   one JSON document for FILE; an array of them without FILE (see cengine(1))\n" },
	{ "exec", cmd_exec, "cengine exec [-i] [-t] [-e KEY=VAL]... [-w DIR] FILE NAME -- CMD [ARG...]",
	  "Run CMD inside running container NAME (its namespaces and cgroup); exit status is CMD's.\n"
	  "  -i, --interactive    keep stdin attached (the default without -t too)\n"
	  "  -t, --tty            a pseudo-terminal: raw mode, window size follows, ^C reaches CMD\n"
	  "  -e, --env KEY=VAL    add or replace an environment variable (repeatable)\n"
	  "  -w, --workdir DIR    absolute working directory inside the container (default /)\n"
	  "Exit: CMD's status; 126 CMD not executable, 127 not found; 1 not running; 2 usage.\n" },
	{ "logs", cmd_logs, "cengine logs [-f] [--tail N] FILE|PROJECT NAME",
	  "Print the stdout and stderr of container NAME (the container's command writes them).\n"
	  "  -f, --follow     keep printing new output until the container stops or ^C\n"
	  "  -n, --tail N     only the last N lines\n" },
	{ "run", run_main, RUN_USAGE,
	  "One container attached to this terminal, removed again when CMD exits; the exit\n"
	  "status is CMD's. With -t (and a terminal) CMD gets a pseudo-terminal like exec -it.\n" },
	{ "check", cmd_check, "cengine check FILE",
	  "Validate FILE and print the resolved plan. Bad input: one line FILE:LINE: setting: why,\n"
	  "exit 2.\n" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %s\n", verbs[i].usage);
	fprintf(out, "See cengine(1) and cengine.conf(5).\n");
}

/* A project of many containers holds a few fds per container while it
 * starts: take the hard limit as the soft one. */
static void raise_fd_limit(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

int main(int argc, char **argv)
{
	timing_mark("main");
	container_set_argv(argc, argv);
	raise_fd_limit();
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
		if (want_help(argc - 1, argv + 1, verbs[i].usage, verbs[i].help))
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
