/* SPDX-License-Identifier: MIT */
/* ps.c: list the containers of one project or of every project on this host, as a table or JSON. */
#include "runtime/verbs/verbs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "model/naming.h"
#include "util/json.h"
#include "runtime/present/ps.h"
#include "state/journal.h"
#include "state/paths.h"
#include "state/project_state.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/escape.h"

#define CPU_SAMPLE_MS 100	/* CPU% is the usage over this sample */

static void read_small(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* A running container's /etc/hostname, read in its root (its upper layer lives only in its own
 * mount namespace): resolved inside that root (no symlink may lead out), a regular file only. */
static void read_hostname(const struct container_state *s, char *buf, size_t len)
{
	struct open_how how = { .flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	_cleanup_close_ int root = -1, fd = -1;
	char path[64];
	struct stat st;
	ssize_t n = -1;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)s->pid);
	if (s->running && (root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0)
		fd = (int)syscall(SYS_openat2, root, "etc/hostname", &how, sizeof(how));
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* The exit file holds "CODE RESTARTS" (init.c); the hostname is the running container's. */
static void read_container_files(const char *project, struct ps_row *r)
{
	char path[STATE_PATH_MAX], buf[64];

	state_container_path(project, r->s.name, STATE_FILE_EXIT, path, sizeof(path));
	read_small(path, buf, sizeof(buf));
	r->restarts = 0;
	if (strchr(buf, ' '))
		r->restarts = atoi(strchr(buf, ' ') + 1);
	read_hostname(&r->s, r->hostname, sizeof(r->hostname));
	if (!r->hostname[0])
		snprintf(r->hostname, sizeof(r->hostname), "%s", r->s.name);
}

static long long boot_time(void)
{
	char line[128];
	long long btime = 0;
	_cleanup_fclose_ FILE *f = fopen("/proc/stat", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &btime) == 1)
			break;
	return btime;
}

static void format_started(unsigned long long starttime, char *buf, size_t len)
{
	time_t t = (time_t)(boot_time() + (long long)(starttime / (unsigned long long)sysconf(_SC_CLK_TCK)));
	struct tm tm;

	if (!starttime || !gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%s", "");
}

/* Read every row's cgroup stats twice, CPU_SAMPLE_MS apart: CPU% of one CPU. */
static void sample_stats(struct ps_project *pp, size_t n_pp)
{
	const struct cgroup_ops *cg = cgroup_detect(NULL);
	bool any_running = false;
	uint64_t t0, t1;

	if (!cg)
		return;
	t0 = clock_mono_us();
	for (size_t i = 0; i < n_pp; i++)
		for (size_t k = 0; k < pp[i].n_rows; k++) {
			cg->stats(pp[i].rows[k].cgroup, &pp[i].rows[k].st, NULL);
			any_running |= pp[i].rows[k].s.running;
		}
	if (!any_running)
		return;
	usleep(CPU_SAMPLE_MS * 1000);
	t1 = clock_mono_us();
	for (size_t i = 0; i < n_pp; i++)
		for (size_t k = 0; k < pp[i].n_rows; k++) {
			struct ps_row *r = &pp[i].rows[k];
			uint64_t before = r->st.cpu_usage_usec;

			if (cg->stats(r->cgroup, &r->st, NULL) < 0 || r->st.cpu_usage_usec < before)
				continue;
			r->cpu_percent = 100.0 * (double)(r->st.cpu_usage_usec - before) / (double)(t1 - t0);
		}
}

static int load_project(const char *project, struct ps_project *pp, struct ce_error *err)
{
	_cleanup_free_ struct container_state *v = NULL;
	char rel[256];
	size_t n = 0;

	memset(pp, 0, sizeof(*pp));
	snprintf(pp->name, sizeof(pp->name), "%s", project);
	if (project_state_load(project, &v, &n, err) < 0 || journal_read(project, &pp->e, &pp->n_e, err) < 0)
		return -1;
	pp->rows = calloc(n ? n : 1, sizeof(*pp->rows));
	if (!pp->rows)
		return ce_error_set(err, ENOMEM, "ps %s", project);
	for (size_t i = 0; i < n; i++) {
		struct ps_row *r = &pp->rows[i];

		r->s = v[i];
		naming_cgroup(project, r->s.name, rel, sizeof(rel));
		cgroup_placed(rel, r->cgroup, sizeof(r->cgroup));	/* in the project's scope on a systemd host */
		read_container_files(project, r);
		format_started(r->s.starttime, r->started_at, sizeof(r->started_at));
	}
	pp->n_rows = n;
	return 0;
}

static void free_project(struct ps_project *pp)
{
	free(pp->e);
	free(pp->rows);
}

/* ---- table ---- */

static void human(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	double v = (double)bytes;
	int u = -1;

	if (bytes == UINT64_MAX) {
		snprintf(buf, len, "-");
		return;
	}
	while (v >= 1024 && u < 3)
		v /= 1024, u++;
	if (u < 0)
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
	else
		snprintf(buf, len, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

/* The text columns in the terminal form of util/escape.h: what a state dir holds is printed as seen. */
static void print_table_row(const char *project, const struct ps_row *r, FILE *out)
{
	char state[32], mem[32], max[32], proj[4 * sizeof(r->s.name)], name[4 * sizeof(r->s.name)];
	char addrs[4 * sizeof(r->s.addrs)];

	if (r->s.running || r->s.exit_code < 0)
		snprintf(state, sizeof(state), "%s", r->s.running ? "running" : "exited");
	else
		snprintf(state, sizeof(state), "exited(%d)", r->s.exit_code);
	human(r->st.memory_current, mem, sizeof(mem));
	human(r->st.memory_max, max, sizeof(max));
	fprintf(out, "%-16s %-16s %-10s %-8d %5.1f %-7s %-7s %-5llu %-3llu %s\n",
		escape_text(project, proj, sizeof(proj)), escape_text(r->s.name, name, sizeof(name)), state,
		r->s.running ? (int)r->s.pid : 0, r->cpu_percent, mem, max,
		(unsigned long long)r->st.pids_current, (unsigned long long)r->st.oom_kills,
		r->s.addrs[0] ? escape_text(r->s.addrs, addrs, sizeof(addrs)) : "-");
}

static void print_table(const struct ps_project *pp, size_t n, FILE *out)
{
	fprintf(out, "%-16s %-16s %-10s %-8s %5s %-7s %-7s %-5s %-3s %s\n", "PROJECT", "NAME", "STATE", "PID",
		"CPU%", "MEM", "MEMMAX", "PIDS", "OOM", "ADDRESSES");
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < pp[i].n_rows; k++)
			print_table_row(pp[i].name, &pp[i].rows[k], out);
}

/* ---- the verb ---- */

/* The projects ps shows; freed with everything they hold by ps_list_free. */
struct ps_list {
	struct ps_project *v;
	size_t n;
};

static void ps_list_free(struct ps_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free_project(&l->v[i]);
	free(l->v);
	*l = (struct ps_list){ 0 };
}

static void load_all(struct ps_list *l)
{
	DIR *d = opendir(journal_root());
	struct dirent *de;

	while (d && (de = readdir(d))) {
		struct ps_project *nv;

		if (de->d_name[0] == '.' || de->d_type != DT_DIR || strlen(de->d_name) > CE_PROJECT_MAX)
			continue;
		nv = realloc(l->v, (l->n + 1) * sizeof(*l->v));
		if (!nv)
			break;
		l->v = nv;
		if (load_project(de->d_name, &l->v[l->n], NULL) == 0)
			l->n++;
		else
			free_project(&l->v[l->n]);
	}
	if (d)
		closedir(d);
}

static int load_one(const char *project, struct ps_list *l, struct ce_error *err)
{
	l->v = calloc(1, sizeof(*l->v));
	if (!l->v)
		return ce_error_set(err, ENOMEM, "ps");
	l->n = 1;	/* freed by ps_list_free, loaded or not */
	return load_project(project, &l->v[0], err);
}

static int ps(const char *project, bool json, FILE *out, struct ce_error *err)
{
	_cleanup_(ps_list_free) struct ps_list l = { 0 };
	json_t *doc = NULL;

	if (project && load_one(project, &l, err) < 0)
		return -1;
	if (!project)
		load_all(&l);
	sample_stats(l.v, l.n);
	if (!json) {
		print_table(l.v, l.n, out);
		return 0;
	}
	if (project) {
		doc = ps_json_project(&l.v[0]);
	} else {
		doc = json_array();
		for (size_t i = 0; i < l.n; i++)
			json_array_append_new(doc, ps_json_project(&l.v[i]));
	}
	if (json_print(out, doc) < 0)
		return ce_error_set(err, errno ?: ENOMEM, "ps --json");
	return 0;
}

int runtime_ps(const char *project, FILE *out, struct ce_error *err)
{
	return ps(project, false, out, err);
}

int runtime_ps_json(const char *project, FILE *out, struct ce_error *err)
{
	return ps(project, true, out, err);
}
