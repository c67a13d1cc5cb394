/* SPDX-License-Identifier: MIT */
/* export.h: a project as manifests for another engine: Kubernetes (Pods, Multus NetworkAttachmentDefinitions, meshnet Topologies). */
#pragma once

#include <stddef.h>
#include <stdio.h>

#include "model/project.h"
#include "util/error.h"

#define EXPORT_INIT_IMAGE_DEFAULT "docker.io/nicolaka/netshoot:v0.13"
#define EXPORT_NAME_MAX 64	/* a DNS-1123 label, with its NUL */

struct export_k8s_opts {
	const char *ns;		/* the Namespace; NULL: the project's name */
	const char *init_image;	/* the network init container's image; NULL: EXPORT_INIT_IMAGE_DEFAULT */
	FILE *warn;		/* one line per setting exported with a loss: "FILE:LINE: setting: warning: why" */
};

/* One manifest: its kind ("Pod"), its name and its YAML text (one document, no "---"). */
struct export_doc {
	const char *kind;
	char name[EXPORT_NAME_MAX];
	char *text;
};

struct export_docs {
	struct export_doc *v;
	size_t n;
};

/* p as Kubernetes manifests, in the order kubectl should create them: the Namespace, one
 * NetworkAttachmentDefinition per network, one Topology per container with links, one ConfigMap per
 * container with files, one Pod per container. 0; 1 with err "FILE:LINE: setting: why" when p holds what a cluster cannot run
 * (bad input: nothing written); -1 on a failure. Free with export_docs_free(). */
int export_kubernetes(const struct project *p, const struct export_k8s_opts *o, struct export_docs *out,
		      struct ce_error *err);
void export_docs_free(struct export_docs *d);
