/* SPDX-License-Identifier: MIT */
/* archive.c: oci-archive and docker-archive files unpacked into a temporary layout of the store; a legacy docker save turned into an OCI layout. */
#include "image/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/archive_dl.h"
#include "util/sha256.h"

#define MT_LAYER_TAR "application/vnd.oci.image.layer.v1.tar"
#define MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"

/* A file the archive's manifest.json names, found beneath the layout without following a link. */
static int open_beneath(int dirfd, const char *path)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* The archive's file path as a blob of the layout (hard-linked to blobs/sha256/<its sha256>). */
static int as_blob(const struct img_source *src, const char *path, const char *media, struct img_desc *d,
		   struct ce_error *err)
{
	_cleanup_close_ int fd = open_beneath(src->dirfd, path);
	char hex[65], blob[96];
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return ce_error_set(err, fd < 0 ? errno : 0, "%s: manifest.json names \"%s\", not a file in the archive",
				    src->what, path);
	if (sha256_file(fd, hex) < 0)
		return ce_error_set(err, errno, "%s: hash %s", src->what, path);
	snprintf(blob, sizeof(blob), "blobs/sha256/%s", hex);
	if (linkat(fd, "", src->dirfd, blob, AT_EMPTY_PATH) < 0 && errno != EEXIST)
		return ce_error_set(err, errno, "%s: link %s", src->what, path);
	snprintf(d->media, sizeof(d->media), "%s", media);
	snprintf(d->digest, sizeof(d->digest), "sha256:%s", hex);
	d->size = (uint64_t)st.st_size;
	return 0;
}

/* Write text as a file of the layout: a blob (name NULL: blobs/sha256/<its sha256>, described in d) or name. */
static int write_file(const struct img_source *src, const char *name, const char *text, struct img_desc *d,
		      struct ce_error *err)
{
	char path[96];
	_cleanup_close_ int fd = -1;
	size_t len = strlen(text);
	uint8_t sum[32];

	if (!name) {
		sha256_bytes(text, len, sum);
		strcpy(d->digest, "sha256:");
		for (size_t i = 0; i < sizeof(sum); i++)
			sprintf(d->digest + 7 + 2 * i, "%02x", sum[i]);
		snprintf(d->media, sizeof(d->media), "%s", MT_MANIFEST);
		d->size = len;
		snprintf(path, sizeof(path), "blobs/sha256/%s", d->digest + 7);
	}
	fd = openat(src->dirfd, name ? name : path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		return ce_error_set(err, errno, "%s: write %s", src->what, name ? name : path);
	return 0;
}

static json_t *desc_json(const struct img_desc *d)
{
	return json_pack("{s:s, s:s, s:I}", "mediaType", d->media, "digest", d->digest, "size", (json_int_t)d->size);
}

/* Does manifest.json's entry e carry the tag ref ("docker.io/library/alpine:3.22")? */
static bool tagged(const json_t *e, const char *ref)
{
	const json_t *tags = json_object_get(e, "RepoTags"), *t;
	struct image_ref r;
	char why[128], canon[IMAGEREF_MAX];
	size_t i;

	json_array_foreach(tags, i, t) {
		if (!json_is_string(t) || imageref_parse(json_string_value(t), &r, why, sizeof(why)) < 0)
			continue;
		imageref_format(&r, canon, sizeof(canon));
		if (!strcmp(canon + strlen("docker://"), ref))
			return true;
	}
	return false;
}

static int pick_entry(const struct img_source *src, const json_t *list, const json_t **out, struct ce_error *err)
{
	const json_t *e;
	size_t i, n = 0;

	if (!json_is_array(list))
		return ce_error_set(err, 0, "%s: manifest.json is not a list", src->what);
	json_array_foreach(list, i, e)
		if (!*src->ref || tagged(e, src->ref))
			n++, *out = *out ? *out : e;
	if (!n && *src->ref)
		return ce_error_set(err, 0, "%s: no image tagged %s in the archive", src->what, src->ref);
	if (n != 1)
		return ce_error_set(err, 0, "%s: the archive has %zu images, name one as docker-archive:FILE:NAME:TAG",
				    src->what, n);
	return 0;
}

/* The manifest of a legacy docker save: config and layer.tar files as blobs. */
static json_t *legacy_manifest(const struct img_source *src, const json_t *e, struct ce_error *err)
{
	const json_t *layers = json_object_get(e, "Layers"), *l;
	const char *config = img_json_str(e, "Config");
	json_t *list = json_array();
	struct img_desc d;
	size_t i;

	if (!config || !json_is_array(layers) || !list) {
		json_decref(list);
		ce_error_set(err, 0, "%s: manifest.json: an entry without Config or Layers", src->what);
		return NULL;
	}
	json_array_foreach(layers, i, l)
		if (!json_is_string(l) || as_blob(src, json_string_value(l), MT_LAYER_TAR, &d, err) < 0 ||
		    json_array_append_new(list, desc_json(&d)) < 0) {
			json_decref(list);
			return NULL;
		}
	if (as_blob(src, config, MT_CONFIG, &d, err) < 0) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:i, s:s, s:o, s:o}", "schemaVersion", 2, "mediaType", MT_MANIFEST, "config", desc_json(&d),
			 "layers", list);
}

/* manifest.json + <id>/layer.tar -> oci-layout, index.json and blobs of the same temporary. */
static int convert_legacy(struct img_source *src, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL, *text = NULL, *index_text = NULL;
	_cleanup_json_ json_t *list = NULL, *man = NULL, *index = NULL;
	const json_t *e = NULL;
	struct img_desc d;
	size_t len;

	if (img_read_file(src->dirfd, "manifest.json", IMG_JSON_MAX, &buf, &len, err) < 0)
		return ce_error_wrap(err, "%s: neither an OCI layout nor a docker save", src->what);
	list = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
	if (!list)
		return ce_error_set(err, 0, "%s: manifest.json is not valid JSON", src->what);
	if (pick_entry(src, list, &e, err) < 0)
		return -1;
	if ((mkdirat(src->dirfd, "blobs", 0700) < 0 && errno != EEXIST) ||
	    (mkdirat(src->dirfd, "blobs/sha256", 0700) < 0 && errno != EEXIST))
		return ce_error_set(err, errno, "%s: mkdir blobs", src->what);
	if (!(man = legacy_manifest(src, e, err)))
		return -1;
	if (!(text = json_dumps(man, JSON_COMPACT)))
		return ce_error_set(err, ENOMEM, "%s", src->what);
	if (write_file(src, NULL, text, &d, err) < 0)
		return -1;
	index = json_pack("{s:i, s:[o]}", "schemaVersion", 2, "manifests", desc_json(&d));
	if (!index || !(index_text = json_dumps(index, JSON_COMPACT)))
		return ce_error_set(err, ENOMEM, "%s", src->what);
	src->ref[0] = '\0';
	return write_file(src, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", NULL, err) < 0 ||
	       write_file(src, "index.json", index_text, NULL, err) < 0 ? -1 : 0;
}

/* Unpack the archive into the temporary dir tmp (the current directory while it runs). */
static int extract(const char *file, const char *what, const char *tmp, const struct image_caps *caps,
		   struct ce_error *err)
{
	struct archive_budget b = { .name = what, .max_size = caps->max_size, .max_entries = caps->max_entries };
	_cleanup_close_ int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (archive_dl_load(err) < 0)
		return -1;
	if (cwd < 0 || chdir(tmp) < 0)
		return ce_error_set(err, errno, "%s", tmp);
	rc = archive_extract_here(file, &b, NULL, err);
	if (fchdir(cwd) < 0 && rc == 0)
		rc = ce_error_set(err, errno, "back to the working directory");
	return rc;
}

int img_archive_open(const char *store, const struct image_ref *r, const struct image_caps *caps,
		     struct img_source *src, struct ce_error *err)
{
	if (img_temp_dir(store, "tmp", src->path, sizeof(src->path), err) < 0)
		return -1;
	src->own = true;
	if (extract(r->path, src->what, src->path, caps, err) < 0)
		return -1;
	if ((src->dirfd = open(src->path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ce_error_set(err, errno, "open %s", src->path);
	if (r->transport == IMAGE_OCI_ARCHIVE || faccessat(src->dirfd, "oci-layout", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	return convert_legacy(src, err);
}
