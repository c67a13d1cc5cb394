/* SPDX-License-Identifier: MIT */
/* json.c: an image's JSON documents (index, manifest, config) read with their size bound and digest checked, by jansson. */
#include "image/internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/sha256.h"

int img_read_file(int dirfd, const char *path, size_t max, char **buf, size_t *len, struct ce_error *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_free_ char *b = NULL;
	struct stat st;
	size_t have = 0;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0)
		return ce_error_set(err, errno, "%s", path);
	if (!S_ISREG(st.st_mode))
		return ce_error_set(err, 0, "%s: not a regular file", path);
	if ((uint64_t)st.st_size > max)
		return ce_error_set(err, 0, "%s: larger than %zu bytes", path, max);
	if (!(b = malloc((size_t)st.st_size + 1)))
		return ce_error_set(err, ENOMEM, "%s", path);
	while (have < (size_t)st.st_size && (n = read(fd, b + have, (size_t)st.st_size - have)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ce_error_set(err, errno, "read %s", path);
		have += (size_t)n;
	}
	b[have] = '\0';
	*len = have;
	*buf = steal_pointer(&b);
	return 0;
}

bool img_valid_digest(const char *d)
{
	if (strncmp(d, "sha256:", 7) || strlen(d) != 71)
		return false;
	for (d += 7; *d; d++)
		if (!isxdigit((unsigned char)*d) || isupper((unsigned char)*d))
			return false;
	return true;
}

static void to_hex(const uint8_t *b, size_t n, char *hex)
{
	for (size_t i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", b[i]);
}

int img_blob_json(int dirfd, const char *what, const struct img_desc *d, json_t **out, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;
	char path[96], hex[65];
	uint8_t sum[32];
	size_t len = 0;

	snprintf(path, sizeof(path), "blobs/sha256/%s", d->digest + 7);
	if (d->size > IMG_JSON_MAX)
		return ce_error_set(err, 0, "%s: %s: %llu bytes, more than the %u a manifest, index or config may have",
				    what, d->digest, (unsigned long long)d->size, IMG_JSON_MAX);
	if (img_read_file(dirfd, path, IMG_JSON_MAX, &buf, &len, err) < 0)
		return ce_error_wrap(err, "%s: blob %s is missing or unreadable", what, d->digest);
	if (len != d->size)
		return ce_error_set(err, 0, "%s: blob %s has %zu bytes, its descriptor says %llu", what, d->digest, len,
				    (unsigned long long)d->size);
	sha256_bytes(buf, len, sum);
	to_hex(sum, sizeof(sum), hex);
	if (strcmp(hex, d->digest + 7))
		return ce_error_set(err, 0, "%s: blob %s does not match its digest (sha256:%s)", what, d->digest, hex);
	return img_json_parse(buf, len, what, out, err);
}

int img_json_parse(const char *buf, size_t len, const char *what, json_t **out, struct ce_error *err)
{
	json_error_t je;

	*out = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!*out)
		return ce_error_set(err, 0, "%s: invalid JSON at line %d: %s", what, je.line, je.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return ce_error_set(err, 0, "%s: the JSON is not an object", what);
	}
	return 0;
}

const char *img_json_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int img_desc_parse(const json_t *j, const char *what, const char *fallback, struct img_desc *d, struct ce_error *err)
{
	const char *media = img_json_str(j, "mediaType"), *digest = img_json_str(j, "digest");
	json_t *size = json_object_get(j, "size");

	if (!media)
		media = fallback;
	if (!json_is_object(j) || !media || !digest || !json_is_integer(size) || json_integer_value(size) < 0)
		return ce_error_set(err, 0, "%s: a descriptor without mediaType, digest or size", what);
	if (!img_valid_digest(digest))
		return ce_error_set(err, 0, "%s: digest \"%.80s\" is not sha256:<64 lowercase hex digits>", what, digest);
	if (strlen(media) >= sizeof(d->media))
		return ce_error_set(err, 0, "%s: media type \"%.80s...\" is too long", what, media);
	strcpy(d->media, media);
	strcpy(d->digest, digest);
	d->size = (uint64_t)json_integer_value(size);
	return 0;
}
