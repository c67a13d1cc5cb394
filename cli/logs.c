/* SPDX-License-Identifier: MIT */
/* logs.c: `cengine logs [-f] [--tail N] FILE|PROJECT NAME`: what a container's command wrote, then what it writes. */
#include "cli/cli.h"

#include <limits.h>
#include <stdio.h>

#include "runtime/verbs/verbs.h"

static const struct option longs[] = {
	CLI_FLAG("follow", 'f'),
	CLI_VALUE("tail", 'n'),
	CLI_HELP_END,
};

struct logs_cli {
	bool follow;
	long tail;	/* -1: all */
};

static int logs_option(struct cli_args *a, int c, void *ctx)
{
	struct logs_cli *l = ctx;

	if (c == 'f')
		l->follow = true;
	else if (c != 'n')
		return cli_option_error(a, c);
	else if (cli_long(a->verb, "--tail", "a number of lines", 0, LONG_MAX, &l->tail) < 0)
		return CLI_BAD_INPUT;
	return CLI_GO_ON;
}

static const struct cli_options options = { "fn:h", longs, logs_option };

static int logs_main(const struct cli_verb *v, int argc, char **argv)
{
	struct cli_operands ops = CLI_OPERANDS(2, "FILE|PROJECT", "NAME");
	struct ce_error err = { 0 };
	char project[CE_PROJECT_MAX + 1];
	struct logs_cli l = { false, -1 };
	const char *const *pos = ops.v;
	int rc = cli_read(v, argc, argv, &options, &l, &ops);

	if (rc != CLI_GO_ON)
		return rc;
	if (cli_project_name(pos[0], project) < 0)
		return CLI_BAD_INPUT;
	return runtime_logs(project, pos[1], l.tail, l.follow, stdout, &err) < 0 ? cli_fail(&err) : CLI_OK;
}

const struct cli_verb cli_logs = {
	"logs", logs_main, "cengine logs [-f] [--tail N] FILE|PROJECT NAME",
	"Print the stdout and stderr of container NAME (the container's command writes them into\n"
	"a pipe; the project's log keeper into log files, rotated at the container's log_max_size).\n"
	"  -f, --follow     keep printing new output, across rotations, until the container stops\n"
	"                   and all it wrote is shown, or ^C\n"
	"  -n, --tail N     only the last N lines\n"
	"Exit: 0; 1 no such container or its log cannot be read; 2 bad arguments.\n",
};
