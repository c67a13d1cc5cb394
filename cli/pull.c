/* SPDX-License-Identifier: MIT */
/* pull.c: `cengine pull FILE|IMAGE`: import an image into the store and unpack it. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/verbs/verbs.h"

static int pull_main(const struct cli_verb *v, int argc, char **argv)
{
	return cli_one_operand(v, argc, argv, "FILE|IMAGE", runtime_pull);
}

const struct cli_verb cli_pull = {
	"pull", pull_main, "cengine pull FILE|IMAGE",
	"Import an image into the store (/var/lib/cengine/images, or $CENGINE_STORE_DIR) and\n"
	"unpack it, as up does for a missing one. IMAGE is an image value of cengine.conf(5):\n"
	"oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:NAME:TAG] (a registry name\n"
	"is not supported yet); a bare FILE is a docker save or OCI archive, a bare directory an\n"
	"OCI layout. One line per layer on a terminal, then NAME DIGEST (N layers, SIZE).\n"
	"Exit: 0; 1 the image could not be read, checked or unpacked (nothing of it is kept);\n"
	"2 bad arguments.\n",
};
