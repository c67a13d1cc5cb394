/* SPDX-License-Identifier: MIT */
/* check.c: `cengine check FILE`: validate FILE and print the resolved plan, making nothing. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parser/parser.h"
#include "util/cleanup.h"

static const struct option longs[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct cli_options options = { "h", longs, NULL };

static int check_main(const struct cli_verb *v, int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	struct cli_operands ops = CLI_OPERANDS(1, "FILE");
	int rc = cli_read(v, argc, argv, &options, NULL, &ops);

	if (rc != CLI_GO_ON)
		return rc;
	if (cli_load(ops.v[0], &p) < 0)
		return CLI_BAD_INPUT;
	if (parser_print_plan(p, stdout) < 0) {
		fprintf(stderr, "cengine: check: %s\n", strerror(errno));
		return CLI_FAILED;
	}
	return CLI_OK;
}

const struct cli_verb cli_check = {
	"check", check_main, "cengine check FILE",
	"Validate FILE and print the resolved plan. Bad input: one line FILE:LINE: setting: why,\n"
	"exit 2.\n",
};
