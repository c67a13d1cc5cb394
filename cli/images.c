/* SPDX-License-Identifier: MIT */
/* images.c: `cengine images [--json]`: the images of the store. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/verbs/verbs.h"

enum { OPT_JSON = CLI_LONG_ONLY };

static const struct option longs[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int images_option(struct cli_args *a, int c, void *ctx)
{
	if (c != OPT_JSON)
		return cli_option_error(a, c);
	*(bool *)ctx = true;
	return CLI_GO_ON;
}

static int images_main(const struct cli_verb *v, int argc, char **argv)
{
	struct cli_operands ops = { NULL, 0, 0, { NULL }, 0 };
	struct ce_error err = { 0 };
	bool json = false;
	struct cli_args a;
	int rc;

	cli_args_init(&a, v, argc, argv, "h", longs);
	rc = cli_parse(&a, images_option, &json, &ops);
	if (rc != CLI_GO_ON)
		return rc;
	return runtime_images(json, stdout, &err) < 0 ? cli_fail(&err) : CLI_OK;
}

const struct cli_verb cli_images = {
	"images", images_main, "cengine images [--json]",
	"List the images of the store: IMAGE (the name it was pulled or used by), ID (its\n"
	"manifest digest, 12 digits), SIZE (its layers as stored), UNPACKED (its tree on disk),\n"
	"CREATED (when it was recorded, UTC).\n"
	"  --json   a JSON array of { name, manifest, size, unpacked, tree, created } (tree: the\n"
	"           unpacked tree's path, null when there is none)\n",
};
