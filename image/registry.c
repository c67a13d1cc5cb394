/* SPDX-License-Identifier: MIT */
/* registry.c: registry_pull(): manifest (through an index for this platform), config and layers into a layout. */
#include "image/registry.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/reg.h"
#include "util/cleanup.h"

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define ACCEPT MT_OCI_INDEX ", " MT_DOCKER_LIST ", " MT_OCI_MANIFEST ", " MT_DOCKER_MANIFEST

/* A manifest or index as the registry sent it (its bytes are what the digest covers). */
struct doc {
	char *buf;
	size_t len;
	char digest[72];
	char media_type[256];
};

/* A response that is not 200, as one line. */
static int status_error(const struct reg_session *s, const struct reg_response *r, const char *what,
			struct ce_error *err)
{
	char d[256];

	reg_response_describe(r, d, sizeof(d));
	if (r->status == 401)
		return ce_error_set(err, 0, "%s: %s: %s", what, d, s->basic[0] ? "the registry refused the credentials"
							      : "the registry wants credentials; none found for it");
	return ce_error_set(err, 0, "%s: %s", what, d);
}

/* The sha256 of what arrived, checked against the digest asked for and the one the registry announced. */
static int doc_digest(struct reg_sink *k, const struct reg_response *r, const char *want, struct doc *d,
		      struct ce_error *err)
{
	uint8_t sum[32];
	char hex[65];

	sha256_final(&k->sha, sum);
	sha256_hex(sum, hex);
	snprintf(d->digest, sizeof(d->digest), "sha256:%s", hex);
	if (want && strcmp(want, d->digest))
		return ce_error_set(err, 0, "manifest %.19s: digest mismatch: the registry sent %.19s", want, d->digest);
	if (!strncmp(r->docker_digest, "sha256:", 7) && strcmp(r->docker_digest, d->digest))
		return ce_error_set(err, 0, "manifest: digest mismatch: announced %.19s, sent %.19s", r->docker_digest,
				    d->digest);
	return 0;
}

/* The manifest or index named by tag or digest (want, to check it, for a digest). */
static int doc_fetch(struct reg_session *s, const char *tag_or_digest, const char *want, struct doc *d,
		     struct ce_error *err)
{
	char path[600];
	struct reg_response r;
	struct reg_sink k;
	json_t *j;

	memset(d, 0, sizeof(*d));
	reg_sink_memory(&k, REG_MANIFEST_MAX);
	snprintf(path, sizeof(path), "/v2/%s/manifests/%s", s->ref.repo, tag_or_digest);
	if (reg_get(s, path, ACCEPT, &k, &r, err) < 0 || (r.status != 200 && status_error(s, &r, "manifest", err)) ||
	    doc_digest(&k, &r, want, d, err) < 0) {
		reg_sink_free(&k);
		return -1;
	}
	d->buf = steal_pointer(&k.buf);
	d->len = k.len;
	j = json_loadb(d->buf ? d->buf : "", d->len, 0, NULL);
	snprintf(d->media_type, sizeof(d->media_type), "%s",
		 json_string_value(json_object_get(j, "mediaType")) ?: r.content_type);
	d->media_type[strcspn(d->media_type, "; ")] = '\0';
	json_decref(j);
	if (!j)
		return ce_error_set(err, 0, "manifest %.19s: not JSON", d->digest);
	return 0;
}

static bool is_index(const struct doc *d)
{
	return !strcmp(d->media_type, MT_OCI_INDEX) || !strcmp(d->media_type, MT_DOCKER_LIST);
}

static bool is_manifest(const struct doc *d)
{
	return !strcmp(d->media_type, MT_OCI_MANIFEST) || !strcmp(d->media_type, MT_DOCKER_MANIFEST);
}

/* A descriptor's digest and size, checked: 0, or -1 with err. */
static int descriptor(json_t *desc, const char *what, const char **digest, uint64_t *size, struct ce_error *err)
{
	json_t *sz = json_object_get(desc, "size");

	*digest = json_string_value(json_object_get(desc, "digest"));
	if (!*digest || !img_valid_digest(*digest))
		return ce_error_set(err, 0, "manifest: %s: no sha256 digest", what);
	if (!json_is_integer(sz) || json_integer_value(sz) < 0)
		return ce_error_set(err, 0, "manifest: %s: no size", what);
	*size = (uint64_t)json_integer_value(sz);
	return 0;
}

/* The config blob: fetched into memory (it is small), verified, checked for the platform, stored. */
static int config_fetch(struct reg_session *s, int blobs_fd, json_t *desc, struct ce_error *err)
{
	char path[600], hex[65];
	const char *digest;
	struct reg_response r;
	struct reg_sink k;
	uint8_t sum[32];
	uint64_t size;
	int rc = -1;

	if (descriptor(desc, "config", &digest, &size, err) < 0)
		return -1;
	if (size > REG_CONFIG_MAX)
		return ce_error_set(err, 0, "config %.19s: %llu bytes (at most %u)", digest, (unsigned long long)size,
				    REG_CONFIG_MAX);
	reg_sink_memory(&k, size);
	snprintf(path, sizeof(path), "/v2/%s/blobs/%s", s->ref.repo, digest);
	if (reg_get(s, path, NULL, &k, &r, err) < 0 || (r.status != 200 && status_error(s, &r, "config", err)))
		goto out;
	sha256_final(&k.sha, sum);
	sha256_hex(sum, hex);
	if (k.len != size || strcmp(hex, digest + 7))
		ce_error_set(err, 0, "config %.19s: %s", digest, k.len != size ? "truncated" : "digest mismatch");
	else if (reg_platform_check_config(k.buf ? k.buf : "", s->opts, err) == 0)
		rc = reg_blob_put(blobs_fd, digest, k.buf ? k.buf : "", k.len, err);
out:
	reg_sink_free(&k);
	return rc;
}

/* The layers' sizes together, checked against opts->max_layers_size before anything is fetched. */
static int layers_size(const struct reg_session *s, json_t *layers, struct ce_error *err)
{
	uint64_t total = 0, max = s->opts->max_layers_size;
	json_t *desc;
	size_t i;

	json_array_foreach(layers, i, desc) {
		json_t *sz = json_object_get(desc, "size");

		if (json_is_integer(sz) && json_integer_value(sz) > 0)
			total += (uint64_t)json_integer_value(sz) < UINT64_MAX - total ? (uint64_t)json_integer_value(sz)
											: UINT64_MAX - total;
	}
	if (max && total > max)
		return ce_error_set(err, 0, "manifest: its layers have %llu bytes, more than the %llu that may be unpacked",
				    (unsigned long long)total, (unsigned long long)max);
	return 0;
}

static int layers_fetch(struct reg_session *s, int blobs_fd, json_t *layers, struct ce_error *err)
{
	json_t *desc;
	size_t i;

	if (!json_is_array(layers))
		return ce_error_set(err, 0, "manifest: no layers");
	if (layers_size(s, layers, err) < 0)
		return -1;
	json_array_foreach(layers, i, desc) {
		const char *digest;
		uint64_t size;
		char what[32];

		snprintf(what, sizeof(what), "layers[%zu]", i);
		if (descriptor(desc, what, &digest, &size, err) < 0 || reg_blob_fetch(s, blobs_fd, digest, size, err) < 0)
			return -1;
	}
	return 0;
}

/* The image manifest's config and layers, then the manifest itself. */
static int image_fetch(struct reg_session *s, int blobs_fd, const struct doc *m, struct ce_error *err)
{
	json_t *j;
	int rc;

	if (!is_manifest(m))
		return ce_error_set(err, 0, "manifest %.19s: unsupported media type \"%.80s\"", m->digest, m->media_type);
	j = json_loadb(m->buf, m->len, 0, NULL);
	rc = config_fetch(s, blobs_fd, json_object_get(j, "config"), err);
	if (rc == 0)
		rc = layers_fetch(s, blobs_fd, json_object_get(j, "layers"), err);
	json_decref(j);
	return rc < 0 ? -1 : reg_blob_put(blobs_fd, m->digest, m->buf, m->len, err);
}

/* Everything the ref needs into the layout, the index (if any) last but for index.json. */
static int pull(struct reg_session *s, int layout_dirfd, int blobs_fd, struct ce_error *err)
{
	struct doc top, man = { 0 };
	const struct doc *rec = &top;
	char want[72] = "", mt[256];
	int rc = -1;

	if (doc_fetch(s, s->ref.digest[0] ? s->ref.digest : s->ref.tag, s->ref.digest[0] ? s->ref.digest : NULL,
		      &top, err) < 0)
		return -1;
	if (!is_index(&top)) {
		rc = image_fetch(s, blobs_fd, &top, err);
	} else if (reg_platform_select(top.buf, s->opts, want, mt, err) == 0 &&
		   doc_fetch(s, want, want, &man, err) == 0 && image_fetch(s, blobs_fd, &man, err) == 0) {
		rc = reg_blob_put(blobs_fd, top.digest, top.buf, top.len, err);
	}
	if (rc == 0)
		rc = reg_index_record(layout_dirfd, rec->media_type, rec->digest, rec->len, s->ref_name, err);
	free(top.buf);
	free(man.buf);
	return rc;
}

int registry_pull(const char *ref, int layout_dirfd, const struct registry_opts *opts, struct ce_error *err)
{
	static const struct registry_opts defaults;
	struct reg_session s;
	_cleanup_close_ int blobs_fd = -1;
	int rc = -1;

	if (reg_session_open(&s, ref, opts ? opts : &defaults, err) == 0 &&
	    (blobs_fd = reg_layout_open(layout_dirfd, err)) >= 0)
		rc = pull(&s, layout_dirfd, blobs_fd, err);
	reg_session_close(&s);
	if (rc < 0)
		ce_error_wrap_untrusted(err, "pulling %s", s.ref_name[0] ? s.ref_name : "an image");
	return rc;
}
