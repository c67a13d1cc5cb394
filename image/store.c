/* SPDX-License-Identifier: MIT */
/* store.c: the image store's place and lock, and its blobs: each copied into a temporary, checked against its digest, renamed into place. */
#include "image/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fs.h"
#include "util/sha256.h"

const char *image_store_dir(struct ce_error *err)
{
	return fs_dir_from_env("CENGINE_STORE_DIR", IMAGE_STORE_DEFAULT, IMAGE_STORE_MAX, err);
}

int image_store_lock(const char *store, bool exclusive, struct ce_error *err)
{
	return fs_lock_dir(store, exclusive, err);
}

int img_store_subdir(const char *store, const char *sub, char *out, size_t len, struct ce_error *err)
{
	snprintf(out, len, "%s/%s", store, sub);
	return fs_mkdir_p(out, 0700, err);
}

void img_blob_path(const char *store, const char *digest, char *out, size_t len)
{
	snprintf(out, len, "%s/blobs/sha256/%s", store, digest + 7);
}

void img_tree_id(const struct img_manifest *m, char hex[65])
{
	char chain[IMAGE_DIGEST_MAX * 64];	/* a few layers' worth; more are hashed in steps */
	uint8_t sum[32];
	size_t used = 0;

	for (size_t i = 0; i < m->n_layers; i++) {
		if (used + IMAGE_DIGEST_MAX + 1 > sizeof(chain)) {	/* fold what we have into 64 hex digits */
			sha256_bytes(chain, used, sum);
			used = 0;
			for (size_t k = 0; k < sizeof(sum); k++)
				used += (size_t)sprintf(chain + used, "%02x", sum[k]);
			chain[used++] = '\n';
		}
		used += (size_t)sprintf(chain + used, "%s\n", m->layers[i].digest);
	}
	sha256_bytes(chain, used, sum);
	for (size_t k = 0; k < sizeof(sum); k++)
		sprintf(hex + 2 * k, "%02x", sum[k]);
}

void img_tree_path(const char *store, const char *id, char *out, size_t len)
{
	snprintf(out, len, "%s/trees/%s", store, id);
}

/* Copy the open file in to out, at most limit + 1 bytes (one more tells a blob longer than its size). */
static int copy_fd(int in, int out, uint64_t limit, uint64_t *copied)
{
	char buf[1 << 16];
	ssize_t n;

	*copied = 0;
	while (*copied <= limit && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0)
				return -1;
		*copied += (uint64_t)n;
	}
	return 0;
}

/* The blob of src into the open temporary tmp (copied; from our own temporary, moved). */
static int fill(const struct img_source *src, const struct img_desc *d, const char *tmp, int *fd, uint64_t *got,
		struct ce_error *err)
{
	char rel[96];
	_cleanup_close_ int in = -1;
	struct stat st;

	snprintf(rel, sizeof(rel), "blobs/sha256/%s", d->digest + 7);
	in = openat(src->dirfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0)
		return ce_error_set(err, errno, "%s: blob %s is missing", src->what, d->digest);
	if (!S_ISREG(st.st_mode))
		return ce_error_set(err, 0, "%s: blob %s is not a regular file", src->what, d->digest);
	if (src->own && renameat(src->dirfd, rel, AT_FDCWD, tmp) == 0) {
		close(*fd);
		*got = (uint64_t)st.st_size;
		*fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		return *fd < 0 ? ce_error_set(err, errno, "open %s", tmp) : 0;
	}
	if (copy_fd(in, *fd, d->size, got) < 0)
		return ce_error_set(err, errno, "%s: copy blob %s", src->what, d->digest);
	return 0;
}

static int check_blob(const struct img_source *src, const struct img_desc *d, int fd, uint64_t got,
		      struct ce_error *err)
{
	char hex[65];

	if (got != d->size)
		return ce_error_set(err, 0, "%s: blob %s has %s%llu bytes, its descriptor says %llu", src->what, d->digest,
				    got > d->size ? "more than " : "", (unsigned long long)(got > d->size ? d->size : got),
				    (unsigned long long)d->size);
	if (lseek(fd, 0, SEEK_SET) < 0 || sha256_file(fd, hex) < 0)
		return ce_error_set(err, errno, "%s: hash blob %s", src->what, d->digest);
	if (strcmp(hex, d->digest + 7))
		return ce_error_set(err, 0, "%s: blob %s does not match its digest (sha256:%s)", src->what, d->digest, hex);
	return 0;
}

int img_blob_import(const char *store, const struct img_source *src, const struct img_desc *d, struct ce_error *err)
{
	char final[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX + 80], prefix[64];
	_cleanup_close_ int fd = -1;
	uint64_t got = 0;
	int rc;

	img_blob_path(store, d->digest, final, sizeof(final));
	if (access(final, F_OK) == 0)
		return 0;
	if (img_store_subdir(store, "blobs/sha256", dir, sizeof(dir), err) < 0)
		return -1;
	fs_temp_prefix(IMG_TEMP_PREFIX, prefix, sizeof(prefix));
	snprintf(tmp, sizeof(tmp), "%s/../%sXXXXXX", dir, prefix);	/* STORE/blobs/.tmp-...: not a blob name */
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return ce_error_set(err, errno, "mkstemp in %s/..", dir);
	rc = fill(src, d, tmp, &fd, &got, err);
	if (rc == 0)
		rc = check_blob(src, d, fd, got, err);
	/* no fsync: the store is safe against a killed cengine (the page cache keeps what it wrote), as
	 * the trees are; not against the machine losing power */
	if (rc == 0 && (fchmod(fd, 0600) < 0 || rename(tmp, final) < 0))
		rc = ce_error_set(err, errno, "blob %s into %s", d->digest, final);
	if (rc < 0)
		unlink(tmp);
	return rc;
}

int img_store_json(const char *store, const struct img_desc *d, json_t **out, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;
	char path[PATH_MAX];
	size_t len;

	img_blob_path(store, d->digest, path, sizeof(path));
	if (img_read_file(AT_FDCWD, path, IMG_JSON_MAX, &buf, &len, err) < 0)
		return -1;
	return img_json_parse(buf, len, path, out, err);
}
