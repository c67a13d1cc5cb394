/* SPDX-License-Identifier: MIT */
/* naming.h: deterministic names for host objects (bridges, veths, cgroups, state paths) and the ownership mark. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "model/project.h"

/* Default bridge of a network: "ce-<project>-<network>" when neither name
 * holds a '-' and it fits in 15 bytes (so the split is unambiguous), else "ce"
 * + 13 base32 characters (65 bits) of SHA-256 of "bridge", project and network
 * (NUL-separated). The two forms differ at byte 2, so they never meet. */
void naming_bridge(const char *project, const char *network, char out[CE_IFNAME_MAX]);
/* Host end of a container's veth: "ve" + 13 base32 characters (65 bits) of
 * SHA-256 of "veth", project, container and index (NUL-separated). */
void naming_veth(const char *project, const char *container, size_t index, char out[CE_IFNAME_MAX]);
/* cgroup path relative to the hierarchy root: "cengine/<project>/<container>"
 * (container NULL: "cengine/<project>"). */
void naming_cgroup(const char *project, const char *container, char *out, size_t len);
/* Interface group (IFLA_GROUP) of a project's host links: a hash of the
 * project name, never 0 (the default group). Not a proof of ownership (32 bits,
 * shared by chance): the alias below is. */
unsigned naming_group(const char *project);

/* The mark that proves an object is a project's, set when it is made: the
 * alias (IFLA_IFALIAS) of a host link, the comment of an nft table:
 * "cengine:<project>:<role>", role the journal's word for the object ("bridge",
 * "veth", "nat"). */
#define NAMING_ROLE_MAX 16
#define NAMING_MARK_MAX (sizeof("cengine::") + CE_PROJECT_MAX + NAMING_ROLE_MAX)
void naming_mark(const char *project, const char *role, char *out, size_t len);
/* Is s a cengine mark? Then its project and role (1..15 bytes of a-z). */
bool naming_mark_owner(const char *s, char project[CE_PROJECT_MAX + 1], char role[NAMING_ROLE_MAX]);

/* A project name: 1 to CE_PROJECT_MAX bytes of [A-Za-z0-9_-] (it goes into
 * paths, cgroup names, nftables table names and link aliases). */
bool naming_project_valid(const char *name);
/* 32-bit FNV-1a, exposed for tests. */
unsigned naming_hash(const char *s);
