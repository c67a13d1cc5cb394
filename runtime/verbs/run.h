/* SPDX-License-Identifier: MIT */
/* run.h: `cengine run`: one attached container from flags, removed when its command exits. */
#pragma once

#define RUN_USAGE "cengine run [-i] [-t] --rootfs DIR --name NAME --ip A.B.C.D/P [--cpu X] [--memory M] [--pids N] -- CMD [ARG...]"

/* argv[0] is "run". Returns the command's exit status, 1 on failure, 2 on bad
 * arguments, -1 when the usage should be printed. */
int run_main(int argc, char **argv);
