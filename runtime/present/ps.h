/* SPDX-License-Identifier: MIT */
/* ps.h: what `ps` gathers about a project, shared by its table (ps.c) and its JSON (ps_json.c). */
#pragma once

#include <jansson.h>
#include <stdio.h>

#include "cgroup/cgroup.h"
#include "model/project.h"
#include "state/journal.h"
#include "state/project_state.h"

/* Everything ps shows about one container. */
struct ps_row {
	struct container_state s;
	char hostname[CE_HOSTNAME_MAX];
	char cgroup[256];
	int restarts;
	struct cgroup_stats st;
	double cpu_percent;
	char started_at[32];
};

struct ps_project {
	char name[CE_PROJECT_MAX + 1];
	struct journal_entry *e;	/* journal: networks come from its `net` lines */
	size_t n_e;
	struct ps_row *rows;
	size_t n_rows;
};

/* One project's JSON document (schema in cengine(1)), for json_print(); NULL when out of memory. */
json_t *ps_json_project(const struct ps_project *pp);
