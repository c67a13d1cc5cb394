/* SPDX-License-Identifier: MIT */
/* prune.c: `cengine prune`: remove the cached rootfs trees and the store's images no project uses, and what killed unpacks left. */
#include "runtime/verbs/verbs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "model/strv.h"
#include "runtime/launch/rootfs_cache.h"
#include "state/journal.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* Add the trees project's journal says its containers use to *trees. */
static int trees_of(const char *project, char ***trees, struct ce_error *err)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	size_t n = 0;

	if (journal_read(project, &e, &n, err) < 0)
		return ce_error_wrap(err, "prune: cannot tell which trees project %s uses", project);
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == J_ROOTFS && strv_push(trees, e[i].args[1]) < 0)
			return ce_error_set(err, ENOMEM, "prune");
	return 0;
}

int runtime_trees_in_use(char ***trees, struct ce_error *err)
{
	DIR *d = opendir(journal_root());
	int rc = 0;

	if (!d)
		return errno == ENOENT ? 0 : ce_error_set(err, errno, "open %s", journal_root());
	for (struct dirent *de; rc == 0 && (de = readdir(d));)
		if (de->d_name[0] != '.' && de->d_type == DT_DIR)
			rc = trees_of(de->d_name, trees, err);
	closedir(d);
	return rc;
}

/* Lock dir exclusively (lock_fn) when it exists (-1 in *lock when it does not): no up is then
 * between looking a tree up and journalling that it uses it. */
static int lock_if_there(const char *dir, int (*lock_fn)(const char *, bool, struct ce_error *), int *lock,
			 struct ce_error *err)
{
	*lock = -1;
	if (!dir)
		return -1;
	if (access(dir, F_OK) < 0 && errno == ENOENT)
		return 0;
	*lock = lock_fn(dir, true, err);
	return *lock < 0 ? -1 : 0;
}

int runtime_prune(bool dry_run, FILE *out, struct ce_error *err)
{
	const char *cache = rootfs_cache_dir(err), *store = cache ? image_store_dir(err) : NULL;
	_cleanup_close_ int cache_lock = -1, store_lock = -1;
	uint64_t cache_freed = 0, store_freed = 0;
	char **trees = NULL, size[32];
	int rc;

	if (lock_if_there(cache, rootfs_cache_lock, &cache_lock, err) < 0 ||
	    lock_if_there(store, image_store_lock, &store_lock, err) < 0)
		return -1;
	rc = runtime_trees_in_use(&trees, err);
	if (rc == 0 && cache_lock >= 0)
		rc = rootfs_cache_prune(cache, trees, strv_length(trees), dry_run, out, &cache_freed, err);
	if (rc == 0 && store_lock >= 0)
		rc = image_prune(store, trees, strv_length(trees), dry_run, out, &store_freed, err);
	strv_free(trees);
	if (rc < 0)
		return -1;
	fs_human_size(cache_freed + store_freed, size, sizeof(size));
	if (cache_freed + store_freed)
		fprintf(out, "%s %s\n", dry_run ? "would free" : "freed", size);
	else
		fprintf(out, "nothing to remove\n");
	return 0;
}
