/* SPDX-License-Identifier: MIT */
/* gc.c: `cengine gc [--dry-run] [--prefix P]`: remove what cengine made that no project owns. */
#include "cli/cli.h"

#include <stdio.h>

#include "model/naming.h"
#include "runtime/verbs/verbs.h"

enum { OPT_PREFIX = CLI_LONG_ONLY };

static const struct option longs[] = {
	CLI_FLAG("dry-run", 'n'),
	CLI_VALUE("prefix", OPT_PREFIX),
	CLI_HELP_END,
};

struct gc_cli {
	bool dry_run;
	const char *prefix;
};

static int gc_option(struct cli_args *a, int c, void *ctx)
{
	struct gc_cli *g = ctx;

	if (c == 'n')
		g->dry_run = true;
	else if (c != OPT_PREFIX)
		return cli_option_error(a, c);
	else if (!naming_project_valid(optarg))
		return cli_value_error(a->verb, "--prefix", "'%s' is not the start of a project name ([A-Za-z0-9_-])", optarg);
	else
		g->prefix = optarg;
	return CLI_GO_ON;
}

static const struct cli_options options = { "nh", longs, gc_option };

static int gc_main(const struct cli_verb *v, int argc, char **argv)
{
	struct cli_operands ops = { NULL, 0, 0, { NULL }, 0 };	/* none */
	struct gc_cli g = { false, "" };
	struct ce_error err = { 0 };
	int rc = cli_read(v, argc, argv, &options, &g, &ops);

	if (rc != CLI_GO_ON)
		return rc;
	if (cli_project())	/* -p NAME: that project only */
		g.prefix = cli_project();
	if (runtime_gc(g.prefix, g.dry_run, stdout, &err) < 0)
		return cli_fail(&err);
	return CLI_OK;
}

const struct cli_verb cli_gc = {
	"gc", gc_main, "cengine gc [--dry-run] [--prefix P]",
	"Remove what cengine made that no project owns: the objects listed by the journal of an\n"
	"up that died (no `up` line at its end, no cengine holding its lock), and, for a project\n"
	"without a journal (/run/cengine wiped), the host links marked cengine:PROJECT:bridge|veth,\n"
	"the cgroups cengine/PROJECT and the nftables tables cengine-PROJECT: their journal is\n"
	"rebuilt from the marks and taken down as down does. A project that is up, or whose\n"
	"lock a cengine holds, is left alone; nothing unmarked is touched. One line per object.\n"
	"  -n, --dry-run     only list what would be removed\n"
	"  --prefix P        only projects whose name starts with P (-p NAME: that project)\n"
	"Exit: 0; 1 something could not be removed (the rest was); 2 bad arguments.\n",
};
