/* SPDX-License-Identifier: MIT */
/* ps.c: list the containers of one project or of every project on this host. */
#include "runtime/runtime.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/project_state.h"
#include "state/journal.h"
#include "util/cleanup.h"

static const char *state_word(const struct container_state *s)
{
	return s->running ? "running" : "exited";
}

static int print_project(const char *project, FILE *out, struct ce_error *err)
{
	_cleanup_free_ struct container_state *v = NULL;
	size_t n = 0;

	if (project_state_load(project, &v, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char status[32];

		if (v[i].running || v[i].exit_code < 0)
			snprintf(status, sizeof(status), "%s", state_word(&v[i]));
		else
			snprintf(status, sizeof(status), "exited(%d)", v[i].exit_code);
		fprintf(out, "%-16s %-20s %-10s %-8d %s\n", project, v[i].name, status,
			v[i].running ? (int)v[i].pid : 0, v[i].addrs[0] ? v[i].addrs : "-");
	}
	return 0;
}

int runtime_ps(const char *project, FILE *out, struct ce_error *err)
{
	DIR *d;
	struct dirent *de;

	fprintf(out, "%-16s %-20s %-10s %-8s %s\n", "PROJECT", "NAME", "STATE", "PID", "ADDRESSES");
	if (project)
		return print_project(project, out, err);
	d = opendir(journal_root());
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		print_project(de->d_name, out, NULL);
	}
	closedir(d);
	return 0;
}
