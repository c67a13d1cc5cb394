/* SPDX-License-Identifier: MIT */
/* gc_scan.h: what gc finds on the host by its marks, per project (gc_scan.c), for gc.c to collect. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "model/project.h"
#include "net/net.h"
#include "util/error.h"

struct gc_link {
	char name[16];
	int ifindex;
	bool bridge;		/* its mark's role: bridge, else veth */
};

/* One project's objects found by their marks: links whose alias is cengine:<project>:bridge|veth,
 * cgroups cengine/<project>[/<container>] in any hierarchy, nftables tables cengine-<project>, rules
 * with the comment cengine:<project>:hostfw in the host's own chains. */
struct gc_found {
	char project[CE_PROJECT_MAX + 1];
	struct gc_link *links;
	size_t n_links;
	char **cgroups;		/* "cengine/<project>" first, then its children; NULL-terminated */
	size_t n_cgroups;
	bool nft;
	struct net_hostfw_chain *hostfw;	/* host chains holding its allow rules (cengine:<project>:hostfw) */
	size_t n_hostfw;
};

/* Every project (whose name starts with prefix, "" for all) that has a marked object on the host,
 * whether or not a journal lists it. *out to free with gc_found_free. */
int gc_scan(const char *prefix, struct gc_found **out, size_t *n, struct ce_error *err);
void gc_found_free(struct gc_found *v, size_t n);
