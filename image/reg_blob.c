/* SPDX-License-Identifier: MIT */
/* reg_blob.c: blobs into an OCI layout, each verified before it gets its name, and the ref in index.json. */
#include "image/reg.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

#define OCI_LAYOUT "{\"imageLayoutVersion\":\"1.0.0\"}"

static int mkdir_ok(int dirfd, const char *name)
{
	return mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int reg_layout_open(int layout_dirfd, struct ce_error *err)
{
	int fd = openat(layout_dirfd, "oci-layout", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd >= 0) {
		ssize_t w = write(fd, OCI_LAYOUT, strlen(OCI_LAYOUT));

		close(fd);
		if (w != (ssize_t)strlen(OCI_LAYOUT))
			return ce_error_set(err, errno, "writing the layout's oci-layout");
	} else if (errno != EEXIST) {
		return ce_error_set(err, errno, "creating the layout's oci-layout");
	}
	if (mkdir_ok(layout_dirfd, "blobs") < 0 || mkdir_ok(layout_dirfd, "blobs/sha256") < 0)
		return ce_error_set(err, errno, "creating the layout's blobs/sha256");
	fd = openat(layout_dirfd, "blobs/sha256", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ce_error_set(err, errno, "opening the layout's blobs/sha256");
	return fd;
}

int reg_blob_have(int blobs_fd, const char *digest, uint64_t size)
{
	struct stat st;

	return fstatat(blobs_fd, digest + 7, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size == size;
}

/* Is the blob in opts->known_blobs (the store's, which verified it when it came in)? */
static bool known(const struct registry_opts *o, const char *digest, uint64_t size)
{
	_cleanup_close_ int fd = o->known_blobs ? open(o->known_blobs, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;

	return fd >= 0 && reg_blob_have(fd, digest, size);
}

/* An unnamed file in the blobs directory (O_TMPFILE), or a named one where the filesystem has none:
 * fd, with tmp[0] set to its name in that case. */
static int blob_tmp(int blobs_fd, const char *hex, char tmp[128], struct ce_error *err)
{
	int fd = openat(blobs_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);

	tmp[0] = '\0';
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd >= 0 ? fd : ce_error_set(err, errno, "creating a blob in the layout");
	snprintf(tmp, 128, ".partial-%.16s-%d", hex, (int)getpid());
	fd = openat(blobs_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	return fd >= 0 ? fd : ce_error_set(err, errno, "creating %s in the layout", tmp);
}

/* Name the verified file fd blobs/sha256/<hex> (already there: another pull won the race, as good). */
static int blob_commit(int blobs_fd, int fd, const char *tmp, const char *hex, struct ce_error *err)
{
	char proc[64];
	int rc;

	if (tmp[0]) {
		rc = renameat(blobs_fd, tmp, blobs_fd, hex);
	} else {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		rc = linkat(AT_FDCWD, proc, blobs_fd, hex, AT_SYMLINK_FOLLOW);
		if (rc < 0 && errno == EEXIST)
			rc = 0;
	}
	return rc < 0 ? ce_error_set(err, errno, "naming blob sha256:%.12s", hex) : 0;
}

/* The sink's digest and size against the descriptor's. */
static int blob_verify(struct reg_sink *k, const char *digest, uint64_t size, struct ce_error *err)
{
	uint8_t d[32];
	char hex[65];

	if (k->n != size)
		return ce_error_set(err, 0, "blob %.19s: truncated: %llu of %llu bytes", digest,
				    (unsigned long long)k->n, (unsigned long long)size);
	sha256_final(&k->sha, d);
	sha256_hex(d, hex);
	if (strcmp(hex, digest + 7))
		return ce_error_set(err, 0, "blob %.19s: digest mismatch: the registry sent sha256:%.12s", digest, hex);
	return 0;
}

int reg_blob_fetch(struct reg_session *s, int blobs_fd, const char *digest, uint64_t size, struct ce_error *err)
{
	char path[600], tmp[128], describe[256];
	struct reg_response resp;
	struct reg_sink k;
	_cleanup_close_ int fd = -1;
	int rc = -1;

	if (reg_blob_have(blobs_fd, digest, size) || known(s->opts, digest, size))
		return 0;
	if ((fd = blob_tmp(blobs_fd, digest + 7, tmp, err)) < 0)
		return -1;
	reg_sink_file(&k, fd, size, digest, s->opts);
	snprintf(path, sizeof(path), "/v2/%s/blobs/%s", s->ref.repo, digest);
	if (reg_get(s, path, NULL, &k, &resp, err) < 0) {
		ce_error_wrap(err, "blob %.19s", digest);
	} else if (resp.status != 200) {
		reg_response_describe(&resp, describe, sizeof(describe));
		ce_error_set(err, 0, "blob %.19s: %s", digest, describe);
	} else if (blob_verify(&k, digest, size, err) == 0) {
		rc = blob_commit(blobs_fd, fd, tmp, digest + 7, err);
	}
	if (rc < 0 && tmp[0])
		unlinkat(blobs_fd, tmp, 0);
	return rc;
}

int reg_blob_put(int blobs_fd, const char *digest, const void *p, size_t n, struct ce_error *err)
{
	char tmp[128];
	_cleanup_close_ int fd = -1;
	struct reg_sink k;
	int rc = -1;

	if (reg_blob_have(blobs_fd, digest, n))
		return 0;
	if ((fd = blob_tmp(blobs_fd, digest + 7, tmp, err)) < 0)
		return -1;
	reg_sink_file(&k, fd, n, digest, NULL);
	if (write(fd, p, n) != (ssize_t)n) {
		ce_error_set(err, errno, "writing blob %.19s", digest);
	} else {
		sha256_update(&k.sha, p, n);
		k.n = n;
		if (blob_verify(&k, digest, n, err) == 0)
			rc = blob_commit(blobs_fd, fd, tmp, digest + 7, err);
	}
	if (rc < 0 && tmp[0])
		unlinkat(blobs_fd, tmp, 0);
	return rc;
}
