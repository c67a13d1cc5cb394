/* SPDX-License-Identifier: MIT */
/* cengine.c: command-line entry point; finds the verb (cli/, one file each) and exits with what it returns. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cli/cli.h"
#include "runtime/inside/container.h"
#include "util/timing.h"

static const struct cli_verb *const verbs[] = {
	&cli_up, &cli_down, &cli_ps, &cli_exec, &cli_logs, &cli_run, &cli_check, &cli_prune.verb, &cli_test, &cli_graph, &cli_gc, &cli_doctor,
	&cli_pull.verb, &cli_images.verb, &cli_rmi.verb, &cli_export,
};

#define N_VERBS (sizeof(verbs) / sizeof(verbs[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage:\n");
	for (size_t i = 0; i < N_VERBS; i++)
		fprintf(out, "  %s\n", verbs[i]->usage);
	fprintf(out, "  cengine VERB --help\n");
	fprintf(out, "Exit status: 0 success; 1 failed; 2 bad arguments or FILE; exec, run: CMD's.\n");
	fprintf(out, "See cengine(1) and cengine.conf(5).\n");
}

/* A project of many containers holds a few fds per container while it
 * starts: take the hard limit as the soft one. */
static void raise_fd_limit(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

int main(int argc, char **argv)
{
	timing_mark("main");
	container_set_argv(argc, argv);
	raise_fd_limit();
	if (argc < 2) {
		fprintf(stderr, "cengine: a verb is missing: up, down, ps, exec, logs, run, check, prune, test, graph, gc, doctor, pull, images, rmi or export (cengine --help)\n");
		return CLI_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("cengine %s\n", PACKAGE_VERSION);
		return CLI_OK;
	}
	for (size_t i = 0; i < N_VERBS; i++)
		if (!strcmp(argv[1], verbs[i]->name))
			return verbs[i]->main(verbs[i], argc - 1, argv + 1);
	fprintf(stderr, "cengine: unknown verb '%s': up, down, ps, exec, logs, run, check, prune, test, graph, gc, doctor, pull, images, rmi or export (cengine --help)\n",
		argv[1]);
	return CLI_BAD_INPUT;
}
