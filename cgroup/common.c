/* SPDX-License-Identifier: MIT */
/* cgroup/common.c: file, directory, process and statistics helpers shared by both backends. */
#include "cgroup/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/clock.h"

/* v1 reports "no limit" as PAGE_COUNTER_MAX pages in bytes (~2^63). */
#define CG_UNLIMITED_ABOVE (UINT64_C(1) << 62)

int cg_path(char *buf, size_t n, struct ce_error *err, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= n)
		return ce_error_set(err, ENAMETOOLONG, "cgroup path %.80s...", buf);
	return 0;
}

static bool rel_is_clean(const char *rel)
{
	size_t len;

	for (const char *p = rel; *p; p += len + (p[len] == '/')) {
		len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && !strncmp(p, "..", 2)))
			return false;
	}
	return true;
}

int cg_check_rel(const char *rel, struct ce_error *err)
{
	if (!rel || !*rel || !rel_is_clean(rel))
		return ce_error_set(err, EINVAL, "cgroup path '%s': must be relative, without '.', '..' or '//'",
				    rel ? rel : "(null)");
	return 0;
}

int cg_open_dir(const char *dir, struct ce_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return ce_error_set(err, errno, "open %s", dir);
	return fd;
}

bool cg_exists_at(int dfd, const char *file)
{
	return faccessat(dfd, file, F_OK, 0) == 0;
}

int cg_write_each_at(int dfd, const char *dir, const char *file, const char *const *values, size_t n,
		     struct ce_error *err)
{
	_cleanup_close_ int fd = openat(dfd, file, O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0)
		return ce_error_set(err, errno, "open %s%s%s", dir ? dir : "", dir ? "/" : "", file);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(values[i]);
		ssize_t w = write(fd, values[i], len);

		if (w < 0)
			return ce_error_set(err, errno, "write '%s' to %s%s%s", values[i], dir ? dir : "", dir ? "/" : "",
					    file);
		if ((size_t)w != len)
			return ce_error_set(err, EIO, "short write of '%s' to %s%s%s", values[i], dir ? dir : "",
					    dir ? "/" : "", file);
	}
	return 0;
}

int cg_write_at(int dfd, const char *dir, const char *file, const char *value, struct ce_error *err)
{
	return cg_write_each_at(dfd, dir, file, &value, 1, err);
}

int cg_read_at(int dfd, const char *dir, const char *file, char *buf, size_t n, struct ce_error *err)
{
	_cleanup_close_ int fd = openat(dfd, file, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return ce_error_set(err, errno, "open %s%s%s", dir ? dir : "", dir ? "/" : "", file);
	r = read(fd, buf, n - 1);
	if (r < 0)
		return ce_error_set(err, errno, "read %s%s%s", dir ? dir : "", dir ? "/" : "", file);
	buf[r] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int cg_write(const char *path, const char *value, struct ce_error *err)
{
	return cg_write_at(AT_FDCWD, NULL, path, value, err);
}

int cg_read(const char *path, char *buf, size_t n, struct ce_error *err)
{
	return cg_read_at(AT_FDCWD, NULL, path, buf, n, err);
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!strcmp(s, "max")) {
		*v = UINT64_MAX;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

int cg_read_u64(const char *path, uint64_t *v, struct ce_error *err)
{
	char buf[64];

	if (cg_read(path, buf, sizeof(buf), err) < 0)
		return -1;
	if (!parse_u64(buf, v))
		return ce_error_set(err, EINVAL, "%s: not a number: '%s'", path, buf);
	return 0;
}

int cg_read_key(const char *path, const char *key, uint64_t *v, struct ce_error *err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0, klen = strlen(key);

	if (!f)
		return ce_error_set(err, errno, "open %s", path);
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, key, klen) || line[klen] != ' ')
			continue;
		if (!parse_u64(line + klen + 1, v))
			return ce_error_set(err, EINVAL, "%s: bad '%s' line", path, key);
		return 0;
	}
	return 1;
}

bool cg_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

bool cg_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool cg_word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

int cg_error_copy(struct ce_error *err, const struct ce_error *from)
{
	if (err)
		*err = *from;
	return -1;
}

static int make_dir(const char *dir, struct ce_error *err)
{
	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno != EEXIST)
		return ce_error_set(err, errno, "mkdir %s", dir);
	if (!cg_is_dir(dir))
		return ce_error_set(err, ENOTDIR, "mkdir %s", dir);
	return 0;
}

/* The usual case: every parent exists (the project's group is made first), the leaf does not.
 * 1: made, 0: take the walk (a parent is missing, or the leaf exists), -1: error. */
static int mkdir_leaf(const char *base, const char *rel, cg_level_fn level, struct ce_error *err)
{
	char dir[PATH_MAX], parent[PATH_MAX];

	if (cg_path(dir, sizeof(dir), err, "%s/%s", base, rel) < 0)
		return -1;
	if (mkdir(dir, 0755) < 0)
		return errno == ENOENT || errno == EEXIST ? 0 : ce_error_set(err, errno, "mkdir %s", dir);
	memcpy(parent, dir, sizeof(parent));
	*strrchr(parent, '/') = '\0';
	return level && level(parent, dir, err) < 0 ? -1 : 1;
}

int cg_mkdir_p(const char *base, const char *rel, cg_level_fn level, struct ce_error *err)
{
	char dir[PATH_MAX], parent[PATH_MAX];
	size_t len;
	int leaf = mkdir_leaf(base, rel, level, err);

	if (leaf != 0)
		return leaf < 0 ? -1 : 0;
	if (cg_path(dir, sizeof(dir), err, "%s", base) < 0)
		return -1;
	for (const char *p = rel; *p; p += len + (p[len] == '/')) {
		len = strcspn(p, "/");
		memcpy(parent, dir, sizeof(parent));
		if (cg_path(dir, sizeof(dir), err, "%s/%.*s", parent, (int)len, p) < 0)
			return -1;
		if (make_dir(dir, err) < 0)
			return -1;
		if (level && level(parent, dir, err) < 0)
			return -1;
	}
	return 0;
}

int cg_rmdir(const char *dir, struct ce_error *err)
{
	uint64_t deadline = clock_mono_ms() + CG_RMDIR_TIMEOUT_MS;

	for (;;) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		/* A group whose last task just exited can stay busy for a moment. */
		if (errno != EBUSY || clock_mono_ms() >= deadline)
			return ce_error_set(err, errno, "rmdir %s", dir);
		clock_sleep_ms(1);
	}
}

int cg_kill_procs(const char *dir, size_t *seen, struct ce_error *err)
{
	_cleanup_fclose_ FILE *f = NULL;
	char path[PATH_MAX];
	pid_t self = getpid();
	int pid;

	*seen = 0;
	if (cg_path(path, sizeof(path), err, "%s/cgroup.procs", dir) < 0)
		return -1;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : ce_error_set(err, errno, "open %s", path);
	while (fscanf(f, "%d", &pid) == 1) {
		(*seen)++;
		/* pid 0 = a task outside our pid namespace: kill(0) would hit us. */
		if (pid <= 0 || pid == self)
			continue;
		if (kill(pid, SIGKILL) < 0 && errno != ESRCH)
			return ce_error_set(err, errno, "kill %d (in %s)", pid, dir);
	}
	return 0;
}

static int kill_children(const char *dir, size_t *seen, struct ce_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char sub[PATH_MAX];
	size_t n;
	int rc = 0;

	if (!d)
		return errno == ENOENT ? 0 : ce_error_set(err, errno, "opendir %s", dir);
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n = 0;
		rc = cg_path(sub, sizeof(sub), err, "%s/%s", dir, e->d_name);
		if (rc == 0)
			rc = cg_kill_tree(sub, &n, err);
		*seen += n;
	}
	closedir(d);
	return rc;
}

int cg_kill_tree(const char *dir, size_t *seen, struct ce_error *err)
{
	if (cg_kill_procs(dir, seen, err) < 0)
		return -1;
	return kill_children(dir, seen, err);
}

static int read_field(const struct cg_stat_field *f, const char *dir, struct cgroup_stats *st,
		      struct ce_error *err)
{
	char path[PATH_MAX];
	uint64_t v = 0;
	int r;

	if (cg_path(path, sizeof(path), err, "%s/%s", dir, f->file) < 0)
		return -1;
	if (!cg_exists(path))
		return 0;
	r = f->key ? cg_read_key(path, f->key, &v, err) : cg_read_u64(path, &v, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (f->limit && v > CG_UNLIMITED_ABOVE)
		v = UINT64_MAX;
	else if (f->divisor > 1)
		v /= f->divisor;
	*(uint64_t *)((char *)st + f->offset) = v;
	return 0;
}

int cg_stats_read(const struct cg_stat_field *fields, size_t n, cg_dir_fn dir_of,
		  bool (*exists)(const char *rel), const char *root, const char *rel,
		  struct cgroup_stats *st, struct ce_error *err)
{
	char dir[PATH_MAX];
	struct ce_error ignored;

	if (cg_check_rel(rel, err) < 0)
		return -1;
	if (!exists(rel))
		return ce_error_set(err, ENOENT, "cgroup %s%s%s does not exist", root ? root : "",
				    root ? "/" : "", rel);
	memset(st, 0, sizeof(*st));
	st->memory_max = UINT64_MAX;
	for (size_t i = 0; i < n; i++) {
		/* A controller that is not there simply has nothing to report. */
		if (dir_of(fields[i].controller, rel, dir, sizeof(dir), &ignored) < 0)
			continue;
		if (read_field(&fields[i], dir, st, err) < 0)
			return -1;
	}
	return 0;
}

void cg_close_all(const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

int cgroup_enter_self(int *fds, size_t n)
{
	int rc = 0, saved = 0;

	for (size_t i = 0; i < n; i++) {
		if (!rc && write(fds[i], "0", 1) != 1)
			rc = -1, saved = errno;
		close(fds[i]);
		fds[i] = -1;
	}
	errno = saved;
	return rc;
}
