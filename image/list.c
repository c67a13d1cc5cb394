/* SPDX-License-Identifier: MIT */
/* list.c: the store's named images listed, a name removed, and prune: trees and blobs no name and no container uses. */
#include "image/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fs.h"

int img_each_record(const char *store, int (*fn)(void *ctx, const char *path, json_t *r), void *ctx,
		       struct ce_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/names", store);
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : ce_error_set(err, errno, "open %s", dir);
	for (struct dirent *de; rc == 0 && (de = readdir(d));) {
		_cleanup_free_ char *buf = NULL;
		_cleanup_json_ json_t *j = NULL;
		struct ce_error skip = { 0 };
		size_t len, n = strlen(de->d_name);

		if (de->d_name[0] == '.' || n < 6 || strcmp(de->d_name + n - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (img_read_file(AT_FDCWD, path, IMG_JSON_MAX, &buf, &len, &skip) == 0 &&
		    img_json_parse(buf, len, path, &j, &skip) == 0 && img_json_str(j, "name"))
			rc = fn(ctx, path, j);
	}
	closedir(d);
	return rc;
}

struct listing {
	const char *store;
	struct image_entry *e;
	size_t n;
};

static int add_entry(void *ctx, const char *path, json_t *r)
{
	struct listing *l = ctx;
	struct image_entry *e, *grown = realloc(l->e, (l->n + 1) * sizeof(*l->e));
	const char *manifest = img_json_str(json_object_get(r, "manifest"), "digest"), *id = img_json_str(r, "tree");

	if (!grown)
		return -1;
	l->e = grown;
	e = memset(&l->e[l->n++], 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", img_json_str(r, "name"));
	snprintf(e->manifest, sizeof(e->manifest), "%s", manifest && img_valid_digest(manifest) ? manifest : "?");
	e->size = (uint64_t)json_integer_value(json_object_get(r, "size"));
	e->created = (long long)json_integer_value(json_object_get(r, "created"));
	if (id && strlen(id) == 64 && !strchr(id, '/')) {
		img_tree_path(l->store, id, e->tree, sizeof(e->tree));
		e->unpacked = access(e->tree, F_OK) == 0 ? fs_tree_bytes(e->tree) : 0;
		if (!e->unpacked)
			e->tree[0] = '\0';
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct image_entry *)a)->name, ((const struct image_entry *)b)->name);
}

int image_list(const char *store, struct image_entry **out, size_t *n, struct ce_error *err)
{
	struct listing l = { .store = store };

	if (img_each_record(store, add_entry, &l, err) < 0) {
		free(l.e);
		return err->msg[0] ? -1 : ce_error_set(err, ENOMEM, "images");
	}
	if (l.n)
		qsort(l.e, l.n, sizeof(*l.e), by_name);
	*out = l.e;
	*n = l.n;
	return 0;
}

struct removal {
	const char *name;
	bool found;
	struct ce_error *err;
};

static int remove_named(void *ctx, const char *path, json_t *r)
{
	struct removal *rm = ctx;

	if (strcmp(img_json_str(r, "name"), rm->name))
		return 0;
	rm->found = true;
	return unlink(path) < 0 ? ce_error_set(rm->err, errno, "remove %s", path) : 0;
}

int image_remove(const char *store, const char *ref, struct ce_error *err)
{
	struct image_ref r;
	char why[256], name[IMAGEREF_MAX];
	struct removal rm = { .name = name, .err = err };

	if (imageref_parse(ref, &r, why, sizeof(why)) < 0)
		return ce_error_set(err, EINVAL, "image \"%s\": %s", ref, why);
	if (imageref_is_file(&r) && r.path[0] != '/') {	/* a relative path names what the current dir holds */
		char *real = realpath(r.path, NULL);

		if (real && strlen(real) < sizeof(r.path))
			strcpy(r.path, real);
		free(real);
	}
	imageref_format(&r, name, sizeof(name));
	if (img_each_record(store, remove_named, &rm, err) < 0)
		return -1;
	return rm.found ? 0 : ce_error_set(err, 0, "image %s: not in the store", name);
}
