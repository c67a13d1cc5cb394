/* SPDX-License-Identifier: MIT */
/* graph.h: the topology of a project as a picture: DOT (Graphviz), Mermaid or JSON. */
#pragma once

#include <stdio.h>

#include "model/project.h"

enum graph_format { GRAPH_DOT, GRAPH_MERMAID, GRAPH_JSON };

/* Networks (name, subnet, gateway, subnet6, bridge), containers, an edge per interface (its name,
 * addresses and impairments) and per link (both ends), in file order: the same file gives the
 * same text. Addresses of a subnet = "auto" not picked yet read "auto+N". */
void graph_print(FILE *f, const struct project *p, enum graph_format format);
