/* SPDX-License-Identifier: MIT */
/* naming.h: deterministic names for host objects (bridges, veths, cgroups, state paths). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "model/project.h"

/* Default bridge of a network: "ce-<project>-<network>" when it fits in 15
 * bytes, else "ce-" followed by 8 hex digits of a hash of project/network. */
void naming_bridge(const char *project, const char *network, char out[CE_IFNAME_MAX]);
/* Host end of a container's veth: "ve" + 8 hex digits of a hash of
 * project/container/index + "-" + index ("ve1a2b3c4d-0"). */
void naming_veth(const char *project, const char *container, size_t index, char out[CE_IFNAME_MAX]);
/* cgroup path relative to the hierarchy root: "cengine/<project>/<container>"
 * (container NULL: "cengine/<project>"). */
void naming_cgroup(const char *project, const char *container, char *out, size_t len);
/* Interface group (IFLA_GROUP) of a project's host links: a hash of the
 * project name, never 0 (the default group). */
unsigned naming_group(const char *project);
/* A project name: 1 to CE_PROJECT_MAX bytes of [A-Za-z0-9_-] (it goes into
 * paths, cgroup names and hashed interface names). */
bool naming_project_valid(const char *name);
/* 32-bit FNV-1a, exposed for tests. */
unsigned naming_hash(const char *s);
