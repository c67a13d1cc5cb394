/* SPDX-License-Identifier: MIT */
/* images.c: `cengine images [--json]`: the images of the store. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/verbs/verbs.h"

const struct cli_flag_verb cli_images = {
	{ "images", cli_flag_main, "cengine images [--json]",
	"List the images of the store: IMAGE (the name it was pulled or used by), ID (its\n"
	"manifest digest, 12 digits), SIZE (its layers as stored), UNPACKED (its tree on disk),\n"
	"CREATED (when it was recorded, UTC).\n"
	"  --json   a JSON array of { name, manifest, size, unpacked, tree, created } (tree: the\n"
	"           unpacked tree's path, null when there is none)\n" },
	&cli_json_options, runtime_images,
};
