/* SPDX-License-Identifier: MIT */
/* prune.c: `cengine prune [--dry-run]`: clear the rootfs cache of what no project uses. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/verbs/verbs.h"

static const struct option longs[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int prune_main(const struct cli_verb *v, int argc, char **argv)
{
	struct ce_error err = { 0 };
	bool dry_run = false;
	struct cli_args a;
	int c;

	cli_args_init(&a, v, argc, argv, "nh", longs);
	while ((c = cli_next(&a)) != -1) {
		switch (c) {
		case 'n': dry_run = true; break;
		case 'h': return cli_help(v);
		case CLI_OPERAND: return cli_usage_error(v, "no operand expected, not '%s'", argv[a.operand]);
		default: return cli_option_error(&a, c);
		}
	}
	return runtime_prune(dry_run, stdout, &err) < 0 ? cli_fail(&err) : CLI_OK;
}

const struct cli_verb cli_prune = {
	"prune", prune_main, "cengine prune [--dry-run]",
	"Remove the tarball rootfs trees unpacked into the cache (/var/lib/cengine/rootfs, or\n"
	"$CENGINE_ROOTFS_CACHE) that no project which is up uses, the half-unpacked trees of\n"
	"cengines that were killed, and the remembered hashes of removed trees. One line per\n"
	"tree, then the space freed. A tarball is unpacked again by the next up that needs it.\n"
	"  -n, --dry-run   only list what would be removed\n"
	"Exit: 0; 1 something could not be removed or a project's journal cannot be read;\n"
	"2 bad arguments.\n",
};
