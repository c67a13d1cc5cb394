/* SPDX-License-Identifier: MIT */
/* rootfs_cache.c: the cache of unpacked tarball trees: its place, its lock, trees left by a killed unpack, prune. */
#include "runtime/launch/rootfs_cache.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/journal.h"
#include "util/cleanup.h"
#include "util/fs.h"

const char *rootfs_cache_dir(struct ce_error *err)
{
	const char *d = getenv("CENGINE_ROOTFS_CACHE");

	if (!d || !*d)
		return ROOTFS_CACHE_DEFAULT;
	if (d[0] != '/' || strlen(d) >= ROOTFS_CACHE_MAX || strpbrk(d, ",:\\ \t\n")) {
		ce_error_set(err, EINVAL, "CENGINE_ROOTFS_CACHE \"%s\": not an absolute path shorter than %d bytes "
			     "without ',' ':' '\\' or blanks", d, ROOTFS_CACHE_MAX);
		return NULL;
	}
	return d;
}

static int mkdir_p(const char *path, struct ce_error *err)
{
	char buf[ROOTFS_CACHE_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return ce_error_set(err, errno, "mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return ce_error_set(err, errno, "mkdir %s", buf);
	return 0;
}

int rootfs_cache_lock(const char *cache, bool exclusive, struct ce_error *err)
{
	char path[ROOTFS_CACHE_MAX + 8];
	_cleanup_close_ int fd = -1;

	if (mkdir_p(cache, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/.lock", cache);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return ce_error_set(err, errno, "open %s", path);
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			return ce_error_set(err, errno, "lock %s", path);
	return steal_fd(&fd);
}

void rootfs_cache_temp_prefix(char *buf, size_t len)
{
	snprintf(buf, len, "%s%d-%llu-", ROOTFS_UNPACK_PREFIX, (int)getpid(), proc_starttime(getpid()));
}

/* A temporary tree whose cengine is gone? A name without its owner (an older cengine's) counts
 * only for prune, which holds the cache exclusively. */
static bool stale(const char *name, bool ownerless_too)
{
	size_t skip = strlen(ROOTFS_UNPACK_PREFIX);
	unsigned long long start = 0;
	int pid = 0, end = 0;

	if (strncmp(name, ROOTFS_UNPACK_PREFIX, skip))
		return false;
	if (sscanf(name + skip, "%d-%llu-%n", &pid, &start, &end) != 2 || !end)
		return ownerless_too;
	return !proc_is(pid, start);
}

/* Make a stale tree ours (a rename: only one cengine wins it), then remove it. */
static int claim_and_remove(const char *cache, const char *name)
{
	char from[PATH_MAX], to[PATH_MAX], prefix[64];

	rootfs_cache_temp_prefix(prefix, sizeof(prefix));
	snprintf(from, sizeof(from), "%s/%s", cache, name);
	snprintf(to, sizeof(to), "%s/%sgc-%s", cache, prefix, name + strlen(ROOTFS_UNPACK_PREFIX));
	if (rename(from, to) < 0)
		return -1;	/* another cengine took it */
	return fs_remove_tree(to);
}

void rootfs_cache_clean_stale(const char *cache)
{
	DIR *d = opendir(cache);

	for (struct dirent *de; d && (de = readdir(d));)
		if (stale(de->d_name, false))
			claim_and_remove(cache, de->d_name);
	if (d)
		closedir(d);
}

/* ---- prune ---- */

struct prune {
	const char *cache;
	char **in_use;		/* real paths of the trees projects use */
	size_t n;
	bool dry_run;
	FILE *out;
	uint64_t freed;
	struct ce_error *err;
};

static uint64_t counted;

static int count_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path, (void)flag, (void)ftw;
	counted += (uint64_t)st->st_blocks * 512;
	return 0;
}

/* Disk space a tree takes (du). */
static uint64_t tree_bytes(const char *path)
{
	counted = 0;
	nftw(path, count_entry, 32, FTW_PHYS | FTW_MOUNT);
	return counted;
}

static void human(uint64_t b, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	double v = (double)b;
	int u = -1;

	while (v >= 1024 && u < 3)
		v /= 1024, u++;
	if (u < 0)
		snprintf(buf, len, "%llu B", (unsigned long long)b);
	else
		snprintf(buf, len, "%.1f %ciB", v, units[u]);
}

static bool is_hash(const char *name)
{
	size_t i = 0;

	while (isxdigit((unsigned char)name[i]) && !isupper((unsigned char)name[i]))
		i++;
	return i == 64 && !name[i];
}

/* Does a project use the tree at real path `tree`, or a directory in it (a rootfs given as a path)? */
static bool used(const struct prune *pr, const char *tree)
{
	size_t len = strlen(tree);

	for (size_t i = 0; i < pr->n; i++)
		if (!strncmp(pr->in_use[i], tree, len) && (!pr->in_use[i][len] || pr->in_use[i][len] == '/'))
			return true;
	return false;
}

static void remove_tree(struct prune *pr, const char *path)
{
	uint64_t bytes = tree_bytes(path);
	char size[32];

	human(bytes, size, sizeof(size));
	if (!pr->dry_run && fs_remove_tree(path) < 0) {
		if (!pr->err->code)
			ce_error_set(pr->err, errno, "remove %s", path);
		return;
	}
	fprintf(pr->out, "%s %s (%s)\n", pr->dry_run ? "would remove" : "removed", path, size);
	pr->freed += bytes;
}

/* One entry of the cache: a tree no project uses, or a temporary tree nobody writes, goes. */
static void prune_entry(struct prune *pr, const char *name)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", pr->cache, name);
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	if (stale(name, true) || (is_hash(name) && realpath(path, real) && !used(pr, real)))
		remove_tree(pr, path);
}

/* A remembered hash (a .stat-* link) whose tree is gone. */
static void prune_memo(struct prune *pr, const char *name)
{
	char path[PATH_MAX], target[80], tree[PATH_MAX];
	ssize_t n;

	if (strncmp(name, ROOTFS_MEMO_PREFIX, strlen(ROOTFS_MEMO_PREFIX)))
		return;
	snprintf(path, sizeof(path), "%s/%s", pr->cache, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	snprintf(tree, sizeof(tree), "%s/%s", pr->cache, target);
	if (!is_hash(target) || access(tree, F_OK) < 0)
		unlink(path);
}

static int for_each(struct prune *pr, void (*fn)(struct prune *, const char *))
{
	DIR *d = opendir(pr->cache);

	if (!d)
		return errno == ENOENT ? 0 : ce_error_set(pr->err, errno, "open %s", pr->cache);
	for (struct dirent *de; (de = readdir(d));)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			fn(pr, de->d_name);
	closedir(d);
	return 0;
}

int rootfs_cache_prune(const char *cache, char *const *in_use, size_t n, bool dry_run, FILE *out,
		       struct ce_error *err)
{
	_cleanup_free_ char **real = calloc(n + 1, sizeof(*real));
	char size[32];
	struct prune pr = { .cache = cache, .in_use = real, .dry_run = dry_run, .out = out, .err = err };
	int rc;

	if (!real)
		return ce_error_set(err, ENOMEM, "prune");
	for (size_t i = 0; i < n; i++)
		if ((real[pr.n] = realpath(in_use[i], NULL)))
			pr.n++;
	rc = for_each(&pr, prune_entry);
	if (rc == 0 && !dry_run)
		rc = for_each(&pr, prune_memo);
	for (size_t i = 0; i < pr.n; i++)
		free(real[i]);
	if (rc < 0 || err->code)
		return -1;
	human(pr.freed, size, sizeof(size));
	if (pr.freed)
		fprintf(out, "%s %s\n", dry_run ? "would free" : "freed", size);
	else
		fprintf(out, "nothing to remove\n");
	return 0;
}
