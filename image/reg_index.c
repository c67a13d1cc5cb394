/* SPDX-License-Identifier: MIT */
/* reg_index.c: a pulled ref recorded in the layout's index.json, under an flock, replaced by rename. */
#include "image/reg.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/cleanup.h"

#define OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define REF_NAME "org.opencontainers.image.ref.name"

/* index.json as it is, or a new empty index when there is none: a new reference, or NULL with err. */
static json_t *index_load(int layout_dirfd, struct ce_error *err)
{
	_cleanup_close_ int fd = openat(layout_dirfd, "index.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	json_error_t je;
	json_t *doc;

	if (fd < 0 && errno == ENOENT)
		return json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType", OCI_INDEX, "manifests");
	if (fd < 0)
		return ce_error_set(err, errno, "opening the layout's index.json"), NULL;
	doc = json_loadfd(fd, 0, &je);
	if (!doc || !json_is_array(json_object_get(doc, "manifests"))) {
		json_decref(doc);
		return ce_error_set(err, 0, "the layout's index.json:%d: %s", je.line,
				    doc ? "no \"manifests\" array" : je.text), NULL;
	}
	return doc;
}

/* Drop the descriptors named ref_name from manifests. */
static void index_forget(json_t *manifests, const char *ref_name)
{
	for (size_t i = json_array_size(manifests); i-- > 0;) {
		json_t *name = json_object_get(json_object_get(json_array_get(manifests, i), "annotations"), REF_NAME);

		if (json_is_string(name) && !strcmp(json_string_value(name), ref_name))
			json_array_remove(manifests, i);
	}
}

/* doc as index.json: written beside it, then renamed over it. */
static int index_store(int layout_dirfd, json_t *doc, struct ce_error *err)
{
	char tmp[64];
	int fd, rc;

	snprintf(tmp, sizeof(tmp), ".index.json.%d", (int)getpid());
	fd = openat(layout_dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return ce_error_set(err, errno, "writing the layout's index.json");
	rc = json_dumpfd(doc, fd, JSON_COMPACT);
	if (close(fd) < 0 || rc < 0 || renameat(layout_dirfd, tmp, layout_dirfd, "index.json") < 0) {
		ce_error_set(err, errno, "writing the layout's index.json");
		unlinkat(layout_dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

int reg_index_record(int layout_dirfd, const char *media_type, const char *digest, uint64_t size,
		     const char *ref_name, struct ce_error *err)
{
	_cleanup_close_ int lock = openat(layout_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	json_t *doc, *desc;
	int rc = -1;

	if (lock < 0 || flock(lock, LOCK_EX) < 0)
		return ce_error_set(err, errno, "locking the layout");
	if (!(doc = index_load(layout_dirfd, err)))
		return -1;
	index_forget(json_object_get(doc, "manifests"), ref_name);
	desc = json_pack("{s:s, s:s, s:I, s:{s:s}}", "mediaType", media_type, "digest", digest, "size",
			 (json_int_t)size, "annotations", REF_NAME, ref_name);
	if (!desc || json_array_append_new(json_object_get(doc, "manifests"), desc) < 0)
		ce_error_set(err, ENOMEM, "recording %s in index.json", ref_name);
	else
		rc = index_store(layout_dirfd, doc, err);
	json_decref(doc);
	return rc;
}
