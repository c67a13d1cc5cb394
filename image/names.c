/* SPDX-License-Identifier: MIT */
/* names.c: the store's name records: which manifest (and so which blobs and tree) each image name has. */
#include "image/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/fs.h"
#include "util/sha256.h"

/* STORE/names/<sha256 of the name>.json: a name of any length and any bytes makes a safe file name. */
static void record_path(const char *store, const char *name, char *out, size_t len)
{
	uint8_t sum[32];
	char hex[65];

	sha256_bytes(name, strlen(name), sum);
	for (size_t i = 0; i < sizeof(sum); i++)
		sprintf(hex + 2 * i, "%02x", sum[i]);
	snprintf(out, len, "%s/names/%s.json", store, hex);
}

static json_t *desc_json(const struct img_desc *d)
{
	return json_pack("{s:s, s:s, s:I}", "mediaType", d->media, "digest", d->digest, "size", (json_int_t)d->size);
}

static json_t *record_json(const struct image *img, const struct img_manifest *m, const char *identity)
{
	json_t *layers = json_array();
	char tree[65];

	for (size_t i = 0; layers && i < m->n_layers; i++)
		json_array_append_new(layers, json_string(m->layers[i].digest));
	img_tree_id(m, tree);
	return json_pack("{s:s, s:o, s:o, s:o, s:s, s:I, s:I, s:s}", "name", img->name, "manifest", desc_json(&m->self),
			 "config", desc_json(&m->config), "layers", layers, "tree", tree, "size", (json_int_t)img->size,
			 "created", (json_int_t)time(NULL), "source", identity ? identity : "");
}

int img_name_save(const char *store, const struct image *img, const struct img_manifest *m, const char *identity,
		  struct ce_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX + 64], prefix[64];
	_cleanup_json_ json_t *r = record_json(img, m, identity);
	_cleanup_close_ int fd = -1;

	if (!r)
		return ce_error_set(err, ENOMEM, "record %s", img->name);
	if (img_store_subdir(store, "names", dir, sizeof(dir), err) < 0)
		return -1;
	record_path(store, img->name, path, sizeof(path));
	fs_temp_prefix(IMG_TEMP_PREFIX, prefix, sizeof(prefix));
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%sXXXXXX", dir, prefix) >= sizeof(tmp))
		return ce_error_set(err, ENAMETOOLONG, "%s", dir);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return ce_error_set(err, errno, "mkstemp in %s", dir);
	if (json_dumpfd(r, fd, JSON_COMPACT) < 0 || write(fd, "\n", 1) != 1 || rename(tmp, path) < 0) {
		ce_error_set(err, errno, "write %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int img_name_find(const char *store, const char *name, struct img_record *rec)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_json_ json_t *j = NULL;
	char path[PATH_MAX];
	struct ce_error err = { 0 };
	const char *id, *n, *tree;
	size_t len;

	record_path(store, name, path, sizeof(path));
	if (img_read_file(AT_FDCWD, path, IMG_JSON_MAX, &buf, &len, &err) < 0 ||
	    img_json_parse(buf, len, path, &j, &err) < 0)
		return 0;
	n = img_json_str(j, "name");
	id = img_json_str(j, "source");
	tree = img_json_str(j, "tree");
	if (!n || strcmp(n, name) || !tree || strlen(tree) != 64 ||
	    img_desc_parse(json_object_get(j, "manifest"), path, NULL, &rec->self, &err) < 0 ||
	    img_desc_parse(json_object_get(j, "config"), path, NULL, &rec->config, &err) < 0)
		return 0;
	snprintf(rec->tree, sizeof(rec->tree), "%s", tree);
	snprintf(rec->identity, sizeof(rec->identity), "%s", id ? id : "");
	return 1;
}
