/* SPDX-License-Identifier: MIT */
/* ps.c: `cengine ps [FILE|PROJECT] [--json]`: the containers of one project or of all, as a table or JSON. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/verbs/verbs.h"

static int ps_main(const struct cli_verb *v, int argc, char **argv)
{
	struct cli_operands ops = CLI_OPERANDS(0, "FILE|PROJECT");
	bool json = false;
	struct ce_error err = { 0 };
	char project[CE_PROJECT_MAX + 1];
	const char *name = NULL;
	int rc = cli_read(v, argc, argv, &cli_json_options, &json, &ops);

	if (rc != CLI_GO_ON)
		return rc;
	if ((ops.n || cli_project()) && cli_project_name(ops.v[0], project) < 0)
		return CLI_BAD_INPUT;
	name = ops.n || cli_project() ? project : NULL;
	rc = json ? runtime_ps_json(name, stdout, &err) : runtime_ps(name, stdout, &err);
	return rc < 0 ? cli_fail(&err) : CLI_OK;
}

const struct cli_verb cli_ps = {
	"ps", ps_main, "cengine ps [FILE|PROJECT] [--json]",
	"List containers: PROJECT NAME STATE PID CPU% MEM MEMMAX PIDS OOM ADDRESSES.\n"
	"CPU% is the usage over a 0.1 s sample, in percent of one CPU. Without FILE: all\n"
	"projects on this host.\n"
	"  --json   one JSON document for FILE; an array of them without FILE (see cengine(1))\n",
};
