/* SPDX-License-Identifier: MIT */
/* graph.c: `cengine graph FILE [--format dot|mermaid|json]`: the topology of FILE as a picture, making nothing. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "runtime/present/graph.h"
#include "util/cleanup.h"

static const struct option longs[] = {
	CLI_VALUE("format", 'f'),
	CLI_HELP_END,
};

static const char *const format_names[] = { [GRAPH_DOT] = "dot", [GRAPH_MERMAID] = "mermaid", [GRAPH_JSON] = "json" };

static int graph_option(struct cli_args *a, int c, void *ctx)
{
	enum graph_format *format = ctx;

	if (c != 'f')
		return cli_option_error(a, c);
	for (size_t i = 0; i < sizeof(format_names) / sizeof(*format_names); i++)
		if (!strcmp(optarg, format_names[i])) {
			*format = (enum graph_format)i;
			return CLI_GO_ON;
		}
	return cli_value_error(a->verb, "--format", "'%s' is not dot, mermaid or json", optarg);
}

static const struct cli_options options = { "f:h", longs, graph_option };

static int graph_main(const struct cli_verb *v, int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	enum graph_format format = GRAPH_DOT;
	int rc = cli_read_file(v, argc, argv, &options, &format, NULL, &p);

	if (rc != CLI_GO_ON)
		return rc;
	graph_print(stdout, p, format);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

const struct cli_verb cli_graph = {
	"graph", graph_main, "cengine graph FILE [--format dot|mermaid|json]",
	"Print the topology of FILE: networks (subnet, gateway, bridge), containers, an edge\n"
	"for each interface (name, addresses, impairments) and each link. Makes nothing; the\n"
	"same file gives the same text.\n"
	"  -f, --format F   dot (Graphviz: cengine graph F | dot -Tpng > topo.png, the default),\n"
	"                   mermaid (GitHub renders it in Markdown and job summaries) or json\n"
	"Exit: 0; 2 bad arguments or bad FILE.\n",
};
