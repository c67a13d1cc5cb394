/* SPDX-License-Identifier: MIT */
/* doctor.c: `cengine doctor [FILE] [--json]`: can this host run FILE? One line a check, what it means and the fix. */
#include "cli/cli.h"

#include <stdio.h>

#include "parser/parser.h"
#include "runtime/verbs/verbs.h"
#include "util/cleanup.h"

static int doctor_main(const struct cli_verb *v, int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	struct cli_operands ops = CLI_OPERANDS(0, "FILE");
	bool json = false;
	int rc = cli_read(v, argc, argv, &cli_json_options, &json, &ops);

	if (rc != CLI_GO_ON)
		return rc;
	if (ops.n && cli_load(ops.v[0], &p) < 0)
		return CLI_BAD_INPUT;
	return runtime_doctor(p, json, stdout) ? CLI_FAILED : CLI_OK;
}

const struct cli_verb cli_doctor = {
	"doctor", doctor_main, "cengine doctor [FILE] [--json]",
	"Tell whether this host can run FILE (or any file), before anything fails: user namespaces\n"
	"and idmapped mounts, overlayfs, the cgroup layout and controllers, systemd, bridge and veth,\n"
	"netem and tbf (each tried in a private netns), the host's firewall (what drops forwarded\n"
	"traffic, and what up does about it), nftables, root's /etc/subuid range, the open files\n"
	"limit and free disk for the rootfs cache. One line a check: OK, WARN or FAIL, what it\n"
	"means, and the fix. A check is FAIL when FILE needs what is missing (netem only when a link\n"
	"has delay, jitter or loss) or when no file can do without it. Nothing is changed.\n"
	"  --json   one JSON document: {\"file\", \"checks\": [{\"name\", \"status\", \"what\", \"fix\"}]}\n"
	"Exit: 0 no FAIL; 1 a FAIL; 2 bad arguments or FILE.\n",
};
