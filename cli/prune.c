/* SPDX-License-Identifier: MIT */
/* prune.c: `cengine prune [--dry-run]`: clear the rootfs cache of what no project uses. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/verbs/verbs.h"

static const struct option longs[] = {
	CLI_FLAG("dry-run", 'n'),
	CLI_HELP_END,
};

static const struct cli_options options = { "nh", longs, cli_flag_option };

const struct cli_flag_verb cli_prune = {
	{ "prune", cli_flag_main, "cengine prune [--dry-run]",
	"Remove the tarball rootfs trees unpacked into the cache (/var/lib/cengine/rootfs, or\n"
	"$CENGINE_ROOTFS_CACHE) that no project which is up uses, the half-unpacked trees of\n"
	"cengines that were killed, and the remembered hashes of removed trees. One line per\n"
	"tree, then the space freed. A tarball is unpacked again by the next up that needs it.\n"
	"  -n, --dry-run   only list what would be removed\n"
	"Exit: 0; 1 something could not be removed or a project's journal cannot be read;\n"
	"2 bad arguments.\n" },
	&options, runtime_prune,
};
