/* SPDX-License-Identifier: MIT */
/* project_state.c: fold a project's journal into one record per container. */
#include "state/project_state.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/journal.h"
#include "state/paths.h"
#include "util/cleanup.h"

static int read_exit_code(const char *project, const char *name)
{
	char path[STATE_PATH_MAX], buf[16] = "";
	_cleanup_close_ int fd = -1;

	if (state_container_path(project, name, STATE_FILE_EXIT, path, sizeof(path)) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return -1;
	return atoi(buf);
}

#define SETTLE_MS 1000	/* the keeper needs microseconds; more: it is stuck, do not wait on */

/* The project's log keeper (from its journal line), if it still runs. */
static bool keeper_alive(const struct journal_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == J_KEEPER)
			return proc_is((pid_t)atoi(e[i].args[0]), strtoull(e[i].args[1], NULL, 10));
	return false;
}

/* The keeper marked the container's log complete (or there is no log to wait for). */
static bool log_complete(const char *project, const char *name)
{
	char path[STATE_PATH_MAX];
	struct stat st;

	if (state_container_path(project, name, STATE_FILE_LOG, path, sizeof(path)) < 0 || stat(path, &st) < 0)
		return true;
	return (st.st_mode & 0777) == STATE_LOG_MODE_COMPLETE;
}

static void settle(const char *project, const char *name, const struct journal_entry *e, size_t n)
{
	for (int waited = 0; waited < SETTLE_MS && !log_complete(project, name) && keeper_alive(e, n); waited += 5)
		poll(NULL, 0, 5);
}

static void add_addr(struct container_state *s, const struct journal_entry *e)
{
	size_t len = strlen(s->addrs);

	snprintf(s->addrs + len, sizeof(s->addrs) - len, "%s%s=%s", len ? " " : "", e->args[1], e->args[2]);
}

void profile_format(const struct profile *pr, char buf[PROFILE_ARGS_MAX])
{
	char userns[48] = "off";

	if (pr->userns)
		snprintf(userns, sizeof(userns), "%u:%u:%u", (unsigned)pr->uid, (unsigned)pr->gid, (unsigned)pr->count);
	snprintf(buf, PROFILE_ARGS_MAX, "caps=%llx seccomp=%s userns=%s", (unsigned long long)pr->caps,
		 pr->seccomp ? "on" : "off", userns);
}

/* "profile NAME caps=HEX seccomp=on|off userns=U:G:N|off": true when every argument reads. */
static bool profile_parse(const struct journal_entry *e, struct profile *pr)
{
	char *end;
	unsigned u, g, n;
	int used = 0;

	*pr = (struct profile){ 0 };
	if (strncmp(e->args[1], "caps=", 5) || !e->args[1][5])
		return false;
	pr->caps = strtoull(e->args[1] + 5, &end, 16);
	if (*end || (strcmp(e->args[2], "seccomp=on") && strcmp(e->args[2], "seccomp=off")))
		return false;
	pr->seccomp = !strcmp(e->args[2], "seccomp=on");
	if (!strcmp(e->args[3], "userns=off"))
		return true;
	if (sscanf(e->args[3], "userns=%u:%u:%u%n", &u, &g, &n, &used) != 3 || e->args[3][used] || !n)
		return false;
	*pr = (struct profile){ pr->caps, pr->seccomp, true, u, g, n };
	return true;
}

/* Profile and stop lines come before their container's pid line (written before the clone): a second pass. */
static void add_profiles(const struct journal_entry *e, size_t ne, struct container_state *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i].stop_timeout_ms = -1;
	for (size_t i = 0; i < ne; i++) {
		struct container_state *s;

		if ((e[i].kind != J_PROFILE && e[i].kind != J_STOP) ||
		    !(s = (struct container_state *)project_state_find(v, n, e[i].args[0])))
			continue;
		if (e[i].kind == J_PROFILE) {
			s->has_profile = profile_parse(&e[i], &s->profile);
		} else {
			s->stop_signal = atoi(e[i].args[1]);
			s->stop_timeout_ms = atoi(e[i].args[2]);
		}
	}
}

int project_state_load(const char *project, struct container_state **out, size_t *n, struct ce_error *err)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	_cleanup_free_ struct container_state *v = NULL;
	size_t ne = 0, count = 0;

	*out = NULL;
	*n = 0;
	if (journal_read(project, &e, &ne, err) < 0)
		return -1;
	v = calloc(ne ? ne : 1, sizeof(*v));
	if (!v)
		return ce_error_set(err, ENOMEM, "load state of %s", project);
	for (size_t i = 0; i < ne; i++) {
		struct container_state *s;

		if (e[i].kind == J_PID) {
			s = &v[count++];
			snprintf(s->name, sizeof(s->name), "%s", e[i].args[0]);
			s->pid = (pid_t)atoi(e[i].args[1]);
			s->starttime = strtoull(e[i].args[2], NULL, 10);
			s->running = proc_is(s->pid, s->starttime);
			if (!s->running)	/* its last status may be on its way to the exit file */
				settle(project, s->name, e, ne);
			s->exit_code = s->running ? -1 : read_exit_code(project, s->name);
		} else if (e[i].kind == J_STARTED) {
			for (size_t k = 0; k < count; k++)
				v[k].started = true;
		} else if (e[i].kind == J_ADDR) {
			s = (struct container_state *)project_state_find(v, count, e[i].args[0]);
			if (s)
				add_addr(s, &e[i]);
		}
	}
	add_profiles(e, ne, v, count);
	*n = count;
	*out = steal_pointer(&v);
	return 0;
}

bool project_state_keeper_alive(const char *project)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	size_t n = 0;

	return journal_read(project, &e, &n, NULL) == 0 && keeper_alive(e, n);
}

void project_state_count(const char *project, size_t *running, size_t *total)
{
	_cleanup_free_ struct container_state *v = NULL;
	size_t n = 0;

	*running = *total = 0;
	if (project_state_load(project, &v, &n, NULL) < 0)
		return;
	*total = n;
	for (size_t i = 0; i < n; i++)
		*running += v[i].running;
}

const struct container_state *project_state_find(const struct container_state *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}
