/* SPDX-License-Identifier: MIT */
/* rmi.c: `cengine rmi IMAGE`: forget an image of the store and remove what only it used. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/verbs/verbs.h"

static int rmi_main(const struct cli_verb *v, int argc, char **argv)
{
	return cli_one_operand(v, argc, argv, "IMAGE", runtime_rmi);
}

const struct cli_verb cli_rmi = {
	"rmi", rmi_main, "cengine rmi IMAGE",
	"Forget IMAGE (as images lists it, or as it was written in a file or to pull), then\n"
	"remove its tree and blobs unless another image or a container that is up uses them\n"
	"(such a tree goes with the prune after that container's down). One line per removal.\n"
	"Exit: 0; 1 no such image, or something could not be removed; 2 bad arguments.\n",
};
