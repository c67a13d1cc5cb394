/* SPDX-License-Identifier: MIT */
/* owned.c: what proves to `down` that an object a journal line names is the project's own (see owned.h). */
#include "runtime/verbs/owned.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup/cgroup.h"
#include "util/cleanup.h"

int owned_refuse(const struct journal_entry *e, const char *what, struct ce_error *err)
{
	char text[512];

	journal_entry_text(e, text, sizeof(text));
	for (char *c = text; *c; c++)	/* printed to a terminal: nothing but printable ASCII */
		if (!isprint((unsigned char)*c))
			*c = '?';
	ce_error_set(err, 0, "journal line %u `%s`: %s is not this project's: left alone", e->line, text, what);
	if (err)
		err->code = EPERM;
	return -1;
}

bool owned_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

bool owned_path(const char *path, const char *own, bool may_be_own)
{
	size_t len = strlen(own);

	if (strncmp(path, own, len))
		return false;
	if (!path[len])
		return may_be_own;
	return path[len] == '/' && owned_name(path + len + 1);
}

/* Does the cgroup path p end in want? */
static bool ends_in(const char *p, const char *want)
{
	size_t len = strlen(p), wlen = strlen(want);

	return len >= wlen && !strcmp(p + len - wlen, want);
}

/* Where /proc/PID/cgroup puts the process: 1 in .../cengine/<project>/<container> (on any
 * hierarchy) or .../cengine.slice/cengine-<project>.scope/<container> (a systemd host), -1 in
 * another cengine cgroup, 0 in none (not joined yet). */
static int cgroup_of(pid_t pid, const char *project, const char *container)
{
	char path[64], line[4096], want[256], unit[300], scoped[600];
	_cleanup_fclose_ FILE *f = NULL;
	int where = 0;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	snprintf(want, sizeof(want), "/cengine/%s/%s", project, container);
	cgroup_systemd_unit(project, unit, sizeof(unit));
	snprintf(scoped, sizeof(scoped), "/cengine.slice/%s/%s", unit, container);
	f = fopen(path, "re");
	while (f && where != 1 && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':') ? strchr(strchr(line, ':') + 1, ':') : NULL;	/* ":<path>" */

		if (!p)
			continue;
		p[strcspn(p, "\n")] = '\0';
		if (ends_in(p, want) || ends_in(p, scoped))
			where = 1;
		else if (strstr(p, "/cengine/") || strstr(p, "/cengine.slice/"))
			where = -1;
	}
	return where;
}

/* Do /proc/self/<what> and /proc/PID/<what> name the same file (namespace, executable)? */
static bool same_as_ours(pid_t pid, const char *what)
{
	char self[64], other[64];
	struct stat x, y;

	snprintf(self, sizeof(self), "/proc/self/%s", what);
	snprintf(other, sizeof(other), "/proc/%d/%s", (int)pid, what);
	return stat(self, &x) == 0 && stat(other, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

int owned_process(pid_t pid, const char *project, const char *container)
{
	char exe[64];
	struct stat st;
	int where = cgroup_of(pid, project, container);

	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	if (stat(exe, &st) < 0 && errno == ENOENT)
		return 0;
	if (where)
		return where;
	return same_as_ours(pid, "exe") && !same_as_ours(pid, "ns/pid") ? 1 : -1;
}
