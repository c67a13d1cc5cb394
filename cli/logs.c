/* SPDX-License-Identifier: MIT */
/* logs.c: `cengine logs [-f] [--tail N] FILE|PROJECT NAME`: what a container's command wrote, then what it writes. */
#include "cli/cli.h"

#include <limits.h>
#include <stdio.h>

#include "runtime/verbs/verbs.h"

static const struct option longs[] = {
	{ "follow", no_argument, NULL, 'f' },
	{ "tail", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int logs_main(const struct cli_verb *v, int argc, char **argv)
{
	struct ce_error err = { 0 };
	char project[CE_PROJECT_MAX + 1];
	const char *pos[2] = { NULL, NULL };
	bool follow = false;
	long tail = -1;	/* all */
	size_t npos = 0;
	struct cli_args a;
	int c;

	cli_args_init(&a, v, argc, argv, "fn:h", longs);
	while ((c = cli_next(&a)) != -1) {
		switch (c) {
		case 'f': follow = true; break;
		case 'n':
			if (cli_long(v, "--tail", "a number of lines", 0, LONG_MAX, &tail) < 0)
				return CLI_BAD_INPUT;
			break;
		case 'h': return cli_help(v);
		case CLI_OPERAND:
			if (npos == 2)
				return cli_usage_error(v, "FILE|PROJECT and NAME only, not also '%s'", argv[a.operand]);
			pos[npos++] = argv[a.operand];
			break;
		default: return cli_option_error(&a, c);
		}
	}
	if (npos != 2)
		return cli_usage_error(v, "%s is missing", npos ? "NAME" : "FILE|PROJECT");
	if (cli_project_name(pos[0], project) < 0)
		return CLI_BAD_INPUT;
	if (runtime_logs(project, pos[1], tail, follow, stdout, &err) < 0)
		return cli_fail(&err);
	return CLI_OK;
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
