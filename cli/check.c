/* SPDX-License-Identifier: MIT */
/* check.c: `cengine check FILE`: validate FILE and print the resolved plan, making nothing. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parser/parser.h"
#include "util/cleanup.h"

enum { OPT_JSON = CLI_LONG_ONLY, OPT_KEYS };

static const struct option longs[] = {
	CLI_FLAG("json", OPT_JSON),
	CLI_FLAG("keys", OPT_KEYS),
	CLI_HELP_END,
};

static int check_option(struct cli_args *a, int c, void *ctx)
{
	int *mode = ctx;

	if (c == OPT_KEYS) {	/* as --help: it needs no FILE and ends the verb */
		parser_print_keys(stdout);
		return CLI_OK;
	}
	if (c != OPT_JSON)
		return cli_option_error(a, c);
	*mode = c;
	return CLI_GO_ON;
}

static const struct cli_options options = { "h", longs, check_option };

static int check_main(const struct cli_verb *v, int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	const char *file = NULL;
	struct ce_error err = { 0 };
	int mode = 0;
	int rc = cli_read_file(v, argc, argv, &options, &mode, &file, &p);

	if (rc != CLI_GO_ON)
		return rc;
	if (mode == OPT_JSON)
		return parser_print_json(file, p, stdout, &err) < 0 ? cli_fail(&err) : CLI_OK;
	if (parser_print_plan(p, stdout) < 0) {
		fprintf(stderr, "cengine: check: %s\n", strerror(errno));
		return CLI_FAILED;
	}
	return CLI_OK;
}

const struct cli_verb cli_check = {
	"check", check_main, "cengine check FILE [--json] | --keys",
	"Validate FILE and print the resolved plan. Bad input: one line FILE:LINE: setting: why,\n"
	"exit 2.\n"
	"  --json   instead, FILE's settings as one JSON object (its own keys, includes read,\n"
	"           name resolved): what docs/cengine.schema.json describes\n"
	"  --keys   list every key of the file format, \"GROUP KEY\" a line (no FILE)\n",
};
