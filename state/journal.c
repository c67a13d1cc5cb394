/* SPDX-License-Identifier: MIT */
/* journal.c: append-only state journal and project lock under /run/cengine. */
#include "state/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

const char *journal_root(void)
{
	const char *r = getenv("CENGINE_STATE_DIR");

	return r && *r ? r : "/run/cengine";
}

void journal_dir(const char *project, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", journal_root(), project);
}

/* Longer roots would make the state paths derived from it (journal, container dirs) get truncated. */
#define JOURNAL_ROOT_MAX 128

static int ensure_root(struct ce_error *err)
{
	if (strlen(journal_root()) > JOURNAL_ROOT_MAX)
		return ce_error_set(err, ENAMETOOLONG, "state directory %s is longer than %d bytes",
				    journal_root(), JOURNAL_ROOT_MAX);
	if (mkdir(journal_root(), 0700) < 0 && errno != EEXIST)
		return ce_error_set(err, errno, "mkdir %s", journal_root());
	return 0;
}

/* Is fd still the file at path? (a `down` may unlink the lock file while we
 * wait for it; then the lock we got guards nothing and we take it again) */
static bool still_linked(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* One try: 0 with *out set, 1 to try again (the file or its dir went away
 * under us), -1 on error. */
static int lock_once(const char *project, const char *path, bool wait, int *out, struct ce_error *err)
{
	_cleanup_close_ int fd = -1;

	if (ensure_root(err) < 0)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ENOENT)
		return 1;	/* another project's down removed the empty root dir */
	if (fd < 0)
		return ce_error_set(err, errno, "open %s", path);
	if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		if (errno == EWOULDBLOCK)
			return ce_error_set(err, EWOULDBLOCK, "project %s is busy: another cengine holds %s",
					    project, path);
		return ce_error_set(err, errno, "lock %s", path);
	}
	if (!still_linked(fd, path))
		return 1;
	*out = steal_fd(&fd);
	return 0;
}

int journal_lock(const char *project, bool wait, struct ce_error *err)
{
	char path[512];
	int fd = -1;

	snprintf(path, sizeof(path), "%s/%s.lock", journal_root(), project);
	for (int tries = 0; tries < 100; tries++) {
		int rc = lock_once(project, path, wait, &fd, err);

		if (rc <= 0)
			return rc < 0 ? -1 : fd;
	}
	return ce_error_set(err, EAGAIN, "lock %s: it keeps disappearing", path);
}

void journal_unlock_remove(const char *project, int fd)
{
	char path[512];

	if (fd < 0)
		return;
	snprintf(path, sizeof(path), "%s/%s.lock", journal_root(), project);
	unlink(path);
	close(fd);
	rmdir(journal_root());	/* only succeeds when no other project is there */
}

static void journal_path(const char *project, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/journal", journal_root(), project);
}

bool journal_exists(const char *project)
{
	char path[512];

	journal_path(project, path, sizeof(path));
	return access(path, F_OK) == 0;
}

int journal_create(const char *project, struct journal *j, struct ce_error *err)
{
	char path[512];

	j->fd = -1;
	if (ensure_root(err) < 0)
		return -1;
	journal_dir(project, j->dir, sizeof(j->dir));
	if (mkdir(j->dir, 0700) < 0 && errno != EEXIST)
		return ce_error_set(err, errno, "mkdir %s", j->dir);
	journal_path(project, path, sizeof(path));
	j->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (j->fd < 0)
		return ce_error_set(err, errno, "create %s", path);
	return 0;
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
}

/* Crash injection for tests: CENGINE_DEBUG_KILL_AT=K makes the K-th journal
 * line of this process (1-based) the last thing it does: SIGKILL right after
 * the line is written, before the object it announces is made. */
static void maybe_crash(void)
{
	static int written;
	const char *at = getenv("CENGINE_DEBUG_KILL_AT");

	if (at && atoi(at) == ++written)
		kill(getpid(), SIGKILL);
}

/* Each kind's word on disk and the arguments its readers rely on. */
static const struct {
	const char *word;
	int min_args;
} kinds[JOURNAL_KINDS] = {
	[JOURNAL_UNKNOWN] = { "unknown", 0 },
	[J_CGROUP] = { "cgroup", 1 },
	[J_BRIDGE] = { "bridge", 1 },
	[J_DIR] = { "dir", 1 },
	[J_VETH] = { "veth", 1 },
	[J_IFINDEX] = { "ifindex", 2 },
	[J_PID] = { "pid", 3 },
	[J_ADDR] = { "addr", 3 },
	[J_UP] = { "up", 0 },
	[J_NET] = { "net", 4 },
	[J_LINK] = { "link", 4 },
	[J_NAT] = { "nat", 1 },
	[J_FORWARD] = { "forward", 1 },
	[J_STARTED] = { "started", 0 },
	[J_PROFILE] = { "profile", 4 },
	[J_KEEPER] = { "keeper", 2 },
	[J_ROOTFS] = { "rootfs", 2 },
	[J_FILTER] = { "filter", 1 },
	[J_STOP] = { "stop", 3 },
};

const char *journal_kind_name(enum journal_kind kind)
{
	if ((unsigned)kind >= JOURNAL_KINDS || !kinds[kind].word)
		return kinds[JOURNAL_UNKNOWN].word;
	return kinds[kind].word;
}

enum journal_kind journal_kind_parse(const char *word, int n_args)
{
	for (unsigned k = JOURNAL_UNKNOWN + 1; k < JOURNAL_KINDS; k++)
		if (kinds[k].word && !strcmp(kinds[k].word, word))
			return n_args >= kinds[k].min_args ? (enum journal_kind)k : JOURNAL_UNKNOWN;
	return JOURNAL_UNKNOWN;
}

int journal_add(struct journal *j, struct ce_error *err, enum journal_kind kind, const char *fmt, ...)
{
	const char *word = journal_kind_name(kind);
	char line[512];
	va_list ap;
	int n, m;

	if (kind == JOURNAL_UNKNOWN || (unsigned)kind >= JOURNAL_KINDS)
		return ce_error_set(err, EINVAL, "journal line of unknown kind %d", (int)kind);
	n = snprintf(line, sizeof(line), "%s ", word);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)(n + m) >= sizeof(line) - 1)
		return ce_error_set(err, ENAMETOOLONG, "journal line for %s", word);
	n += m;
	line[n++] = '\n';
	if (write(j->fd, line, n) != n)
		return ce_error_set(err, errno ? errno : EIO, "write journal in %s", j->dir);
	maybe_crash();
	return 0;
}

static void parse_line(const char *line, unsigned lineno, struct journal_entry *e)
{
	char *save = NULL, *tok;

	memset(e, 0, sizeof(*e));
	e->line = lineno;
	snprintf(e->buf, sizeof(e->buf), "%s", line);
	e->buf[strcspn(e->buf, "\n")] = '\0';
	tok = strtok_r(e->buf, " ", &save);
	if (!tok)
		return;
	snprintf(e->word, sizeof(e->word), "%s", tok);
	while (e->n_args < JOURNAL_MAX_ARGS && (tok = strtok_r(NULL, " ", &save)))
		e->args[e->n_args++] = tok;
	e->kind = journal_kind_parse(e->word, e->n_args);
}

void journal_entry_text(const struct journal_entry *e, char *buf, size_t len)
{
	size_t used;

	snprintf(buf, len, "%s", e->word);
	for (int i = 0; i < e->n_args; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, " %s", e->args[i]);
	}
}

static int grow(struct journal_entry **v, size_t *cap, size_t n)
{
	struct journal_entry *nv;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 16;
	nv = realloc(*v, *cap * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	return 0;
}

int journal_read(const char *project, struct journal_entry **entries, size_t *n, struct ce_error *err)
{
	char path[512], line[512];
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ struct journal_entry *v = NULL;
	size_t cap = 0, count = 0;
	unsigned at = 0;

	*entries = NULL;
	*n = 0;
	journal_path(project, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : ce_error_set(err, errno, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		at++;
		if (line[0] == '\n' || line[0] == ' ' || !line[0])
			continue;
		if (!strchr(line, '\n') && feof(f))
			break;	/* torn append (its write failed): the object was never made */
		if (grow(&v, &cap, count) < 0)
			return ce_error_set(err, ENOMEM, "read %s", path);
		v[count].line = at;
		snprintf(v[count++].buf, sizeof(v[0].buf), "%s", line);
	}
	if (ferror(f))
		return ce_error_set(err, errno ? errno : EIO, "read %s", path);
	/* parse only once the array stops moving: args point into each buf */
	for (size_t i = 0; i < count; i++) {
		snprintf(line, sizeof(line), "%s", v[i].buf);
		parse_line(line, v[i].line, &v[i]);
	}
	*n = count;
	*entries = steal_pointer(&v);
	return 0;
}

int journal_remove(const char *project, struct ce_error *err)
{
	char path[512], dir[512];

	journal_path(project, path, sizeof(path));
	if (unlink(path) < 0 && errno != ENOENT)
		return ce_error_set(err, errno, "unlink %s", path);
	journal_dir(project, dir, sizeof(dir));
	if (rmdir(dir) < 0 && errno != ENOENT)
		return ce_error_set(err, errno, "rmdir %s", dir);
	return 0;
}
