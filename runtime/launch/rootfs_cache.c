/* SPDX-License-Identifier: MIT */
/* rootfs_cache.c: the cache of unpacked tarball trees: its place, its lock, trees left by a killed unpack, prune. */
#include "runtime/launch/rootfs_cache.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
	return fs_dir_from_env("CENGINE_ROOTFS_CACHE", ROOTFS_CACHE_DEFAULT, ROOTFS_CACHE_MAX, err);
}

int rootfs_cache_lock(const char *cache, bool exclusive, struct ce_error *err)
{
	return fs_lock_dir(cache, exclusive, err);
}

void rootfs_cache_temp_prefix(char *buf, size_t len)
{
	fs_temp_prefix(ROOTFS_UNPACK_PREFIX, buf, len);
}

void rootfs_cache_clean_stale(const char *cache)
{
	fs_clean_stale(cache, ROOTFS_UNPACK_PREFIX);
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
	fs_prune_path(path, pr->dry_run, pr->out, &pr->freed, pr->err);
}

/* One entry of the cache: a tree no project uses, or a temporary tree nobody writes, goes. */
static void prune_entry(struct prune *pr, const char *name)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", pr->cache, name);
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	if (fs_temp_stale(name, ROOTFS_UNPACK_PREFIX, true) || (is_hash(name) && realpath(path, real) && !used(pr, real)))
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

int rootfs_cache_prune(const char *cache, char *const *in_use, size_t n, bool dry_run, FILE *out, uint64_t *freed,
		       struct ce_error *err)
{
	_cleanup_free_ char **real = calloc(n + 1, sizeof(*real));
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
	*freed = pr.freed;
	return rc < 0 || err->code ? -1 : 0;
}
