/* SPDX-License-Identifier: MIT */
/* run.c: `cengine run [-it] --rootfs DIR|--image IMAGE --name N --ip A/P [limits] -- CMD...`: read the flags, run one container. */
#include "cli/cli.h"

#include <float.h>
#include <limits.h>

#include "runtime/verbs/run.h"

enum { OPT_ROOTFS = CLI_LONG_ONLY, OPT_IMAGE, OPT_NAME, OPT_IP, OPT_CPU, OPT_MEMORY, OPT_PIDS };

static const struct option longs[] = {
	{ "rootfs", required_argument, NULL, OPT_ROOTFS },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "ip", required_argument, NULL, OPT_IP },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "pids", required_argument, NULL, OPT_PIDS },
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One flag of run; CLI_OK or CLI_BAD_INPUT after its line. The numbers are only checked to be
 * numbers here: their range (more than 0, at most the online CPUs) is the parser's, as in a file. */
static int run_option(const struct cli_args *a, int c, struct run_opts *r)
{
	const struct cli_verb *v = a->verb;

	switch (c) {
	case 'i': return CLI_OK;	/* the container is always attached to our stdin */
	case 't': r->tty = true; return CLI_OK;
	case OPT_ROOTFS: r->rootfs = optarg; return CLI_OK;
	case OPT_IMAGE: r->image = optarg; return CLI_OK;
	case OPT_NAME: r->name = optarg; return CLI_OK;
	case OPT_IP: r->ip = optarg; return CLI_OK;
	case OPT_MEMORY: r->memory = optarg; return CLI_OK;
	case OPT_CPU:
		r->has_cpu = true;
		return cli_double(v, "--cpu", "a number of CPUs", -DBL_MAX, DBL_MAX, &r->cpu) < 0 ? CLI_BAD_INPUT : CLI_OK;
	case OPT_PIDS:
		r->has_pids = true;
		return cli_long(v, "--pids", "a number of processes", LONG_MIN, LONG_MAX, &r->pids) < 0 ? CLI_BAD_INPUT
													 : CLI_OK;
	default: return cli_option_error(a, c);
	}
}

/* Flags up to the command: its first word (or what follows "--"); nothing of it is read as a flag. */
static int run_main(const struct cli_verb *v, int argc, char **argv)
{
	struct run_opts r = { 0 };
	struct cli_args a;
	int c, rc;

	cli_args_init(&a, v, argc, argv, "ith", longs);
	while ((c = cli_next(&a)) != -1 && c != CLI_OPERAND) {
		if (c == 'h')
			return cli_help(v);
		if ((rc = run_option(&a, c, &r)) != CLI_OK)
			return rc;
	}
	if ((!r.rootfs && !r.image) || !r.name || !r.ip)
		return cli_usage_error(v, "%s is missing", !r.rootfs && !r.image ? "--rootfs or --image" :
							   !r.name ? "--name" : "--ip");
	if (r.rootfs && r.image)
		return cli_usage_error(v, "use either --rootfs or --image, not both");
	if (c == -1 && !r.image)
		return cli_usage_error(v, "CMD is missing");
	r.command = c == -1 ? NULL : argv + a.operand;
	return runtime_run(&r);
}

const struct cli_verb cli_run = {
	"run", run_main,
	"cengine run [-i] [-t] --rootfs DIR|--image IMAGE --name NAME --ip A.B.C.D/P [--cpu X] [--memory M] [--pids N] [--] CMD [ARG...]",
	"One container attached to this terminal, removed again when CMD exits; the exit\n"
	"status is CMD's. With -t (and a terminal) CMD gets a pseudo-terminal like exec -it,\n"
	"else pipes relayed like exec's; never our terminal itself.\n"
	"  -i, --interactive    keep stdin attached (it always is; accepted for Docker users)\n"
	"  -t, --tty            a pseudo-terminal, as exec -t\n"
	"  --rootfs DIR         the root file system (the lower layer of the container's overlay;\n"
	"                       relative to the working directory)\n"
	"  --image IMAGE        an image instead, as the key image of cengine.conf(5): oci:DIR[:REF],\n"
	"                       oci-archive:FILE[:REF], docker-archive:FILE[:NAME:TAG]; without CMD\n"
	"                       the image's Entrypoint and Cmd run\n"
	"  --name NAME          the container's name; the project is run-NAME\n"
	"  --ip A.B.C.D/P       its address; the bridge gets the prefix's first address\n"
	"  --cpu X, --memory M, --pids N   limits as the keys cpu, memory, pids of cengine.conf(5)\n"
	"Each flag is checked as the key it stands for, by the same code as a file.\n"
	"Exit: CMD's status; 1 the container could not be run; 2 bad arguments.\n",
};
