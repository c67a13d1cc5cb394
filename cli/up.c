/* SPDX-License-Identifier: MIT */
/* up.c: `cengine up FILE [--quiet] [--json]`: check the host, bring every container up, print the document. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/present/progress.h"
#include "runtime/verbs/verbs.h"
#include "util/cleanup.h"
#include "util/escape.h"

enum { OPT_JSON = CLI_LONG_ONLY };

static const struct option longs[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* FILE must fit this host (bad input, 2) before anything is made (a failure on the way, 1). */
static int up_project(struct project *p, const struct up_opts *o, bool json)
{
	struct ce_error err = { 0 };
	char line[4 * CE_ERROR_MAX];
	int rc;

	progress_set(!o->quiet);
	rc = runtime_images_prepare(p, &err) < 0 ? -1 : runtime_up(p, o, NULL, &err);
	if (rc > 0) {	/* "FILE:LINE: networks.[i].subnet: why" */
		fprintf(stderr, "%s\n", escape_text(err.msg, line, sizeof(line)));
		return CLI_BAD_INPUT;
	}
	if (rc < 0)
		return cli_fail(&err);
	if (json && runtime_ps_json(p->name, stdout, &err) < 0)
		return cli_fail(&err);
	return CLI_OK;
}

struct up_cli {
	struct up_opts o;
	bool json;
};

static int up_option(struct cli_args *a, int c, void *ctx)
{
	struct up_cli *u = ctx;

	if (c == 'q')
		u->o.quiet = true;
	else if (c == OPT_JSON)
		u->json = u->o.quiet = true;
	else
		return cli_option_error(a, c);
	return CLI_GO_ON;
}

static const struct cli_options options = { "qh", longs, up_option };

static int up_main(const struct cli_verb *v, int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	struct cli_operands ops = CLI_OPERANDS(1, "FILE");
	struct up_cli u = { { 0 }, false };
	int rc = cli_read(v, argc, argv, &options, &u, &ops);

	if (rc != CLI_GO_ON)
		return rc;
	if (cli_load(ops.v[0], &p) < 0)
		return CLI_BAD_INPUT;
	return up_project(p, &u.o, u.json);
}

const struct cli_verb cli_up = {
	"up", up_main, "cengine up FILE [--quiet] [--json]",
	"Start every container of FILE; return once all run with their network and every\n"
	"`ready` command succeeded. Already up: says so, changes nothing, exit 0.\n"
	"  -q, --quiet   no progress lines (they are only shown on a terminal anyway)\n"
	"  --json        print the project's JSON document (as ps --json) when up\n"
	"Exit: 0 up; 1 failed (everything made is removed again); 2 bad arguments, bad FILE or\n"
	"FILE does not fit this host (subnet overlaps a host address or route, a bridge or\n"
	"host veth name is taken).\n",
};
