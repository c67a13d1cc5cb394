/* SPDX-License-Identifier: MIT */
/* exec.c: `cengine exec [-i] [-t] [-e K=V]... [-w DIR] FILE NAME -- CMD...`: run CMD in a running container. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/strv.h"
#include "runtime/inside/execopts.h"
#include "runtime/present/pty.h"
#include "runtime/verbs/verbs.h"
#include "util/cleanup.h"

static const struct option longs[] = {
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ "env", required_argument, NULL, 'e' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct exec_args {
	const char *file, *name;
	char **command;		/* into argv: the rest after FILE NAME [--] */
	char **env;		/* -e KEY=VAL, in order */
	struct exec_opts o;
	bool help;		/* --help: print it, run nothing */
};

static void exec_args_free(struct exec_args *x)
{
	strv_free(x->env);
}

/* One option of exec; CLI_OK, or CLI_BAD_INPUT (CLI_FAILED: no memory) after its line. */
static int exec_option(const struct cli_args *a, int c, struct exec_args *x)
{
	const struct cli_verb *v = a->verb;

	switch (c) {
	case 'i': x->o.interactive = true; return CLI_OK;
	case 't': x->o.tty = true; return CLI_OK;
	case 'e':
		if (!strchr(optarg, '=') || optarg[0] == '=')
			return cli_value_error(v, "--env", "'%s' is not KEY=VAL", optarg);
		if (strv_push(&x->env, optarg) < 0) {
			fprintf(stderr, "cengine: exec: out of memory\n");
			return CLI_FAILED;
		}
		return CLI_OK;
	case 'w':
		if (optarg[0] != '/')
			return cli_value_error(v, "--workdir", "'%s' is not an absolute path", optarg);
		x->o.workdir = optarg;
		return CLI_OK;
	default: return cli_option_error(a, c);
	}
}

/* Options, then FILE and NAME; the command starts after "--" or at the third operand, and
 * nothing of it is read as an option of ours (exec FILE a ls -l). */
static int exec_parse(const struct cli_verb *v, int argc, char **argv, struct exec_args *x)
{
	struct cli_args a;
	int c, rc;

	cli_args_init(&a, v, argc, argv, "ite:w:h", longs);
	while ((c = cli_next(&a)) != -1) {
		if (c == 'h') {
			x->help = true;
			return CLI_OK;
		}
		if (c != CLI_OPERAND) {
			if ((rc = exec_option(&a, c, x)) != CLI_OK)
				return rc;
		} else if (!x->file) {
			x->file = argv[a.operand];
		} else if (!x->name) {
			x->name = argv[a.operand];
		} else {
			break;
		}
	}
	if (!x->name || c == -1)
		return cli_usage_error(v, "%s is missing", !x->file ? "FILE" : !x->name ? "NAME" : "CMD");
	x->command = argv + a.operand;
	x->o.env = x->env;
	return CLI_OK;
}

static int exec_main(const struct cli_verb *v, int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	_cleanup_(exec_args_free) struct exec_args x = { .o.pty = { -1, -1 } };
	struct ce_error err = { 0 };
	int rc;

	if ((rc = exec_parse(v, argc, argv, &x)) != CLI_OK)
		return rc;
	if (x.help)
		return cli_help(v);
	if (cli_load(x.file, &p) < 0)
		return CLI_BAD_INPUT;
	fflush(stdout);
	if (runtime_images_env(p, x.name) < 0)
		return cli_fail(&(struct ce_error){ ENOMEM, "exec: out of memory" });
	rc = runtime_exec(p, x.name, x.command, &x.o, &err);
	pty_close(&x.o.pty);
	if (rc < 0)
		return cli_fail(&err);
	return rc;	/* the command's status */
}

const struct cli_verb cli_exec = {
	"exec", exec_main, "cengine exec [-i] [-t] [-e KEY=VAL]... [-w DIR] FILE NAME -- CMD [ARG...]",
	"Run CMD inside running container NAME (its namespaces and cgroup); exit status is CMD's.\n"
	"CMD gets the capabilities and seccomp filter NAME was started with (up recorded them);\n"
	"a FILE that says otherwise is reported on stderr, not obeyed.\n"
	"Options come before CMD; the \"--\" may be left out when CMD does not start with \"-\".\n"
	"CMD has a session of its own and, without -t, pipes that cengine relays to its own\n"
	"stdin, stdout and stderr (never our terminal); SIGINT and SIGTERM to cengine reach CMD.\n"
	"  -i, --interactive    keep stdin attached (the default without -t too)\n"
	"  -t, --tty            a pseudo-terminal: raw mode, window size follows, ^C reaches CMD\n"
	"  -e, --env KEY=VAL    add or replace an environment variable (repeatable)\n"
	"  -w, --workdir DIR    absolute working directory inside the container (default /)\n"
	"Exit: CMD's status; 126 CMD not executable, 127 not found; 1 not running; 2 bad\n"
	"arguments or FILE.\n",
};
