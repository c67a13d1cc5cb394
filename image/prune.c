/* SPDX-License-Identifier: MIT */
/* prune.c: the store's trees and blobs that no name and no container uses, and what killed imports left, removed. */
#include "image/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/strv.h"
#include "util/fs.h"

struct prune {
	const char *store;
	char **keep;			/* digests (hex) of the blobs and trees names use */
	char *const *in_use;		/* trees containers use (journalled) */
	size_t n_in_use;
	bool dry_run;
	FILE *out;
	uint64_t freed;
	struct ce_error *err;
};

static int keep_digest(struct prune *pr, const char *digest)
{
	if (!digest || !img_valid_digest(digest))
		return 0;
	return strv_push(&pr->keep, digest + 7);
}

/* What one name keeps: its manifest (blob and tree), config and layers. */
static int keep_record(void *ctx, const char *path, json_t *r)
{
	struct prune *pr = ctx;
	const json_t *layers = json_object_get(r, "layers"), *l;
	size_t i;
	const char *tree = img_json_str(r, "tree");

	(void)path;
	if (keep_digest(pr, img_json_str(json_object_get(r, "manifest"), "digest")) < 0 ||
	    keep_digest(pr, img_json_str(json_object_get(r, "config"), "digest")) < 0 ||
	    (tree && strv_push(&pr->keep, tree) < 0))
		return -1;
	json_array_foreach(layers, i, l)
		if (keep_digest(pr, json_string_value(l)) < 0)
			return -1;
	return 0;
}

static bool kept(const struct prune *pr, const char *hex)
{
	for (size_t i = 0; pr->keep && pr->keep[i]; i++)
		if (!strcmp(pr->keep[i], hex))
			return true;
	return false;
}

static bool in_use(const struct prune *pr, const char *path)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		return false;
	for (size_t i = 0; i < pr->n_in_use; i++) {
		char used[PATH_MAX];

		if (realpath(pr->in_use[i], used) && !strcmp(used, real))
			return true;
	}
	return false;
}

static void remove_path(struct prune *pr, const char *path)
{
	fs_prune_path(path, pr->dry_run, pr->out, &pr->freed, pr->err);
}

static bool is_hex64(const char *s)
{
	char d[80] = "sha256:";

	if (strlen(s) != 64)
		return false;
	strcat(d, s);
	return img_valid_digest(d);
}

/* In STORE/sub: temporaries of gone cengines (any, with the store held exclusively), and content no one keeps. */
static void prune_dir(struct prune *pr, const char *sub, bool trees)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", pr->store, sub);
	if (!(d = opendir(dir)))
		return;
	for (struct dirent *de; (de = readdir(d));) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (fs_temp_stale(de->d_name, IMG_TEMP_PREFIX, true) ||
		    (is_hex64(de->d_name) && !kept(pr, de->d_name) && !(trees && in_use(pr, path))))
			remove_path(pr, path);
	}
	closedir(d);
}

/* Lock files of images without a tree (no one holds one: the store is ours alone). */
static void prune_locks(struct prune *pr)
{
	char dir[PATH_MAX], tree[PATH_MAX + 80], path[PATH_MAX + 256];
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/locks", pr->store);
	if (pr->dry_run || !(d = opendir(dir)))
		return;
	for (struct dirent *de; (de = readdir(d));) {
		snprintf(tree, sizeof(tree), "%s/trees/%s", pr->store, de->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (is_hex64(de->d_name) && access(tree, F_OK) < 0)
			unlink(path);
	}
	closedir(d);
}

int image_prune(const char *store, char *const *trees_in_use, size_t n, bool dry_run, FILE *out, uint64_t *freed,
		struct ce_error *err)
{
	struct prune pr = { .store = store, .in_use = trees_in_use, .n_in_use = n, .dry_run = dry_run, .out = out,
			    .err = err };
	static const char *const temps[] = { "tmp", "names", "blobs" };

	if (img_each_record(store, keep_record, &pr, err) < 0) {
		strv_free(pr.keep);
		return err->msg[0] ? -1 : ce_error_set(err, ENOMEM, "prune %s", store);
	}
	prune_dir(&pr, "trees", true);
	prune_dir(&pr, "blobs/sha256", false);
	for (size_t i = 0; i < sizeof(temps) / sizeof(*temps); i++)
		prune_dir(&pr, temps[i], false);
	prune_locks(&pr);
	strv_free(pr.keep);
	*freed = pr.freed;
	return err->code || err->msg[0] ? -1 : 0;
}
