/* SPDX-License-Identifier: MIT */
/* prune.c: `cengine prune`: remove the cached rootfs trees no project uses, and what killed unpacks left. */
#include "runtime/verbs/verbs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/strv.h"
#include "runtime/launch/rootfs_cache.h"
#include "state/journal.h"
#include "util/cleanup.h"

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

/* Every tree the projects of this host (their journals under the state dir) use. */
static int trees_in_use(char ***trees, struct ce_error *err)
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

int runtime_prune(bool dry_run, FILE *out, struct ce_error *err)
{
	const char *cache = rootfs_cache_dir(err);
	_cleanup_close_ int lock = -1;
	char **trees = NULL;
	int rc;

	if (!cache)
		return -1;
	if (access(cache, F_OK) < 0 && errno == ENOENT) {
		fprintf(out, "nothing to remove\n");
		return 0;
	}
	/* exclusive: no up is between looking a tree up and journalling that it uses it */
	lock = rootfs_cache_lock(cache, true, err);
	if (lock < 0)
		return -1;
	rc = trees_in_use(&trees, err);
	if (rc == 0)
		rc = rootfs_cache_prune(cache, trees, strv_length(trees), dry_run, out, err);
	strv_free(trees);
	return rc;
}
