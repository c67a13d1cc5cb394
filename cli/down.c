/* SPDX-License-Identifier: MIT */
/* down.c: `cengine down FILE|PROJECT [--timeout SECONDS]`: stop and remove what the project's journal lists. */
#include "cli/cli.h"

#include "runtime/verbs/verbs.h"

#define TIMEOUT_MAX 86400.0	/* a day: more is a typo, and its milliseconds fit an int */

static const struct option longs[] = {
	{ "timeout", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* down FILE: the project named in FILE (its `name`, else the file name);
 * also works when FILE no longer parses or is a bare project name. */
static int down_option(struct cli_args *a, int c, void *ctx)
{
	if (c != 't')
		return cli_option_error(a, c);
	if (cli_double(a->verb, "--timeout", "a number of seconds", 0, TIMEOUT_MAX, ctx) < 0)
		return CLI_BAD_INPUT;
	return CLI_GO_ON;
}

static const struct cli_options options = { "t:h", longs, down_option };

static int down_main(const struct cli_verb *v, int argc, char **argv)
{
	struct cli_operands ops = CLI_OPERANDS(1, "FILE|PROJECT");
	struct ce_error err = { 0 };
	char project[CE_PROJECT_MAX + 1];
	double timeout = -1;	/* not given: each container's stop_timeout, else DOWN_GRACE_DEFAULT_MS */
	int rc = cli_read(v, argc, argv, &options, &timeout, &ops);

	if (rc != CLI_GO_ON)
		return rc;
	if (cli_project_name(ops.v[0], project) < 0)
		return CLI_BAD_INPUT;
	return runtime_down(project, timeout < 0 ? -1 : (int)(timeout * 1000), &err) < 0 ? cli_fail(&err) : CLI_OK;
}

const struct cli_verb cli_down = {
	"down", down_main, "cengine down FILE|PROJECT [--timeout SECONDS]",
	"Stop the project's containers (their stop_signal, else SIGTERM, then SIGKILL after the\n"
	"grace time) and remove "
	"everything up made, after a crash too, and only that: a link under a journalled name\n"
	"without the project's mark stays (said on stderr). A project that is not up: exit 0.\n"
	"  -t, --timeout SECONDS   grace time before SIGKILL, 0 to 86400 (default: each container's\n"
	"                          stop_timeout, else 10)\n"
	"Exit: 0 down; 1 something could not be removed (the journal keeps it for the next\n"
	"down); 2 bad arguments.\n",
};
