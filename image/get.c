/* SPDX-License-Identifier: MIT */
/* get.c: an image reference to a tree of the store: its source opened, its blobs imported and checked, unpacked once under a lock. */
#include "image/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/fs.h"

/* An archive's identity: the name record remembers which manifest the file with it had. */
static void identity_of(const char *path, char *out, size_t len)
{
	struct stat st;

	out[0] = '\0';
	if (stat(path, &st) == 0)
		snprintf(out, len, "%llx-%llx-%llx-%lld.%09ld", (unsigned long long)st.st_dev,
			 (unsigned long long)st.st_ino, (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec);
}

/* docker-archive:FILE:NAME:TAG: NAME:TAG as Docker names it in the archive ("docker.io/library/alpine:3.22"). */
static int docker_ref(const char *ref, char *out, size_t len, struct ce_error *err)
{
	struct image_ref r;
	char why[200], canon[IMAGEREF_MAX];

	if (imageref_parse(ref, &r, why, sizeof(why)) < 0 || r.transport != IMAGE_REGISTRY)
		return ce_error_set(err, EINVAL, "docker-archive reference \"%s\": %s", ref, why);
	imageref_format(&r, canon, sizeof(canon));
	if ((size_t)snprintf(out, len, "%s", canon + strlen("docker://")) >= len)
		return ce_error_set(err, ENAMETOOLONG, "docker-archive reference \"%s\"", ref);
	return 0;
}

/* Open where r's image comes from: a layout to read, or nothing (dirfd -1) when the store has the
 * unchanged archive's image already (*known its manifest). */
static int open_source(const char *store, const struct image_ref *r, const struct image_caps *caps,
		       struct img_source *src, struct img_desc *known, struct ce_error *err)
{
	struct img_record rec;
	char tree[PATH_MAX];

	src->dirfd = -1;
	snprintf(src->ref, sizeof(src->ref), "%s", r->ref);
	if (r->transport == IMAGE_DOCKER_ARCHIVE && *r->ref && docker_ref(r->ref, src->ref, sizeof(src->ref), err) < 0)
		return -1;
	if (r->transport == IMAGE_REGISTRY)
		return img_registry_open(store, r, src, err);
	if (r->transport == IMAGE_OCI) {
		snprintf(src->path, sizeof(src->path), "%s", r->path);
		src->dirfd = open(r->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		return src->dirfd < 0 ? ce_error_set(err, errno, "%s", src->what) : 0;
	}
	identity_of(r->path, src->identity, sizeof(src->identity));
	if (img_name_find(store, src->what, &rec) && *rec.identity && !strcmp(rec.identity, src->identity)) {
		img_tree_path(store, rec.tree, tree, sizeof(tree));
		*known = rec.self;
		if (access(tree, F_OK) == 0)
			return 0;
	}
	return img_archive_open(store, r, caps, src, err);
}

/* Wait for the tree's own lock (STORE/locks/<tree id>): one unpack of it at a time. */
static int lock_tree(const char *store, const char *id, struct ce_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 320];
	int fd;

	if (img_store_subdir(store, "locks", dir, sizeof(dir), err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, id);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return ce_error_set(err, errno, "open %s", path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			return ce_error_set(err, errno, "lock %s", path);
		}
	return fd;
}

/* The tree of m, unpacked now (its layers imported first) unless it is there. */
static int ensure_tree(const char *store, const struct img_source *src, const struct img_manifest *m,
		       const struct image_caps *caps, FILE *progress, const char *tree, struct ce_error *err)
{
	_cleanup_close_ int lock = -1;
	char id[65];

	if (access(tree, F_OK) == 0)
		return 0;
	img_tree_id(m, id);
	if ((lock = lock_tree(store, id, err)) < 0)
		return -1;
	if (access(tree, F_OK) == 0)	/* another cengine unpacked it while we waited */
		return 0;
	if (src->dirfd < 0)
		return ce_error_set(err, ENOENT, "%s: its tree went away", src->what);
	for (size_t i = 0; i < m->n_layers; i++)
		if (img_blob_import(store, src, &m->layers[i], err) < 0)
			return -1;
	return img_unpack(store, m, caps, progress, tree, err);
}

/* The manifest: read from the source layout (checked), or from the store for a known archive. */
static int read_manifest(const char *store, const struct img_source *src, const struct img_desc *known,
			 struct img_manifest *m, struct ce_error *err)
{
	_cleanup_json_ json_t *j = NULL;

	if (src->dirfd >= 0)
		return img_layout_select(src, m, err);
	if (img_store_json(store, known, &j, err) < 0)
		return -1;
	return img_manifest_parse(j, src->what, known, m, err);
}

/* Does the store's record of name say another manifest or source than these (or is there none)? An
 * up of an image it has already writes nothing. */
static bool name_changed(const char *store, const char *name, const struct img_manifest *m, const char *identity)
{
	struct img_record rec;

	return !img_name_find(store, name, &rec) || strcmp(rec.self.digest, m->self.digest) ||
	       strcmp(rec.identity, identity);
}

static int get_from(const char *store, const struct img_source *src, const struct img_desc *known,
		    const struct image_caps *caps, FILE *progress, struct image *out, struct ce_error *err)
{
	struct img_manifest m = { 0 };
	_cleanup_json_ json_t *config = NULL;
	char id[65];
	int rc = -1;

	if (read_manifest(store, src, known, &m, err) < 0)
		goto on_error;
	if (src->dirfd >= 0 && (img_blob_import(store, src, &m.self, err) < 0 ||
				img_blob_import(store, src, &m.config, err) < 0))
		goto on_error;
	if (img_store_json(store, &m.config, &config, err) < 0 ||
	    img_config_parse(config, src->what, &out->config, err) < 0)
		goto on_error;
	snprintf(out->manifest, sizeof(out->manifest), "%s", m.self.digest);
	img_tree_id(&m, id);
	img_tree_path(store, id, out->tree, sizeof(out->tree));
	out->n_layers = m.n_layers;
	for (size_t i = 0; i < m.n_layers; i++)
		out->size += m.layers[i].size;
	if (ensure_tree(store, src, &m, caps, progress, out->tree, err) < 0)
		goto on_error;
	rc = name_changed(store, out->name, &m, src->identity) ? img_name_save(store, out, &m, src->identity, err) : 0;
on_error:
	img_manifest_free(&m);
	return rc;
}

int image_get(const char *store, const char *ref, const struct image_caps *caps, FILE *progress,
	      struct image *out, struct ce_error *err)
{
	struct img_source src = { .dirfd = -1 };
	struct img_desc known = { 0 };
	struct image_ref r;
	char why[256];
	int rc;

	memset(out, 0, sizeof(*out));
	if (imageref_parse(ref, &r, why, sizeof(why)) < 0)
		return ce_error_set(err, EINVAL, "image \"%s\": %s", ref, why);
	imageref_format(&r, out->name, sizeof(out->name));
	snprintf(src.what, sizeof(src.what), "%s", out->name);
	rc = open_source(store, &r, caps, &src, &known, err);
	if (rc == 0)
		rc = get_from(store, &src, &known, caps, progress, out, err);
	if (src.dirfd >= 0)
		close(src.dirfd);
	if (src.own)
		fs_remove_tree(src.path);
	if (rc < 0) {
		image_free(out);
		return ce_error_wrap_untrusted(err, "image");	/* it may quote the image's names */
	}
	return 0;
}

int image_config_lookup(const char *store, const char *ref, struct image_config *out, struct ce_error *err)
{
	_cleanup_json_ json_t *config = NULL;
	struct img_record rec;
	struct image_ref r;
	char why[256], name[IMAGEREF_MAX];

	memset(out, 0, sizeof(*out));
	if (imageref_parse(ref, &r, why, sizeof(why)) < 0)
		return ce_error_set(err, EINVAL, "image \"%s\": %s", ref, why);
	imageref_format(&r, name, sizeof(name));
	if (!img_name_find(store, name, &rec))
		return ce_error_set(err, 0, "image %s: not in the store", name);
	if (img_store_json(store, &rec.config, &config, err) < 0 || img_config_parse(config, name, out, err) < 0) {
		image_config_free(out);
		return ce_error_wrap_untrusted(err, "image");
	}
	return 0;
}

void image_free(struct image *img)
{
	image_config_free(&img->config);
}
