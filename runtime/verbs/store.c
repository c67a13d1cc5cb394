/* SPDX-License-Identifier: MIT */
/* store.c: the image store's verbs: pull (import), images (list), rmi (forget a name and what only it used). */
#include "runtime/verbs/verbs.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "image/image.h"
#include "model/strv.h"
#include "util/cleanup.h"
#include "util/escape.h"
#include "util/fs.h"

/* What `pull` takes: a reference, or a bare path (a directory: oci:PATH; a file: docker-archive:PATH,
 * which reads an OCI layout inside an archive too); a file transport's path made absolute. */
static int pull_ref(const char *arg, char *out, size_t len, struct ce_error *err)
{
	struct image_ref r;
	struct stat st;
	char why[256], *real;
	bool bare = !strchr(arg, ':') && stat(arg, &st) == 0;

	if (imageref_parse(bare ? "oci:x" : arg, &r, why, sizeof(why)) < 0)
		return ce_error_set(err, EINVAL, "\"%s\": %s", arg, why);
	if (bare) {
		r.transport = S_ISDIR(st.st_mode) ? IMAGE_OCI : IMAGE_DOCKER_ARCHIVE;
		snprintf(r.path, sizeof(r.path), "%s", arg);
	}
	if (imageref_is_file(&r)) {
		if (!(real = realpath(r.path, NULL)))
			return ce_error_set(err, errno, "%s", r.path);
		snprintf(r.path, sizeof(r.path), "%s", real);
		free(real);
	}
	imageref_format(&r, out, len);
	return 0;
}

int runtime_pull(const char *arg, FILE *out, struct ce_error *err)
{
	const struct image_caps caps = { UNPACK_MAX_SIZE_DEFAULT, UNPACK_MAX_ENTRIES_DEFAULT };
	const char *store = image_store_dir(err);
	_cleanup_close_ int lock = -1;
	char ref[IMAGEREF_MAX], size[32], line[2 * IMAGEREF_MAX];
	struct image img;

	if (!store || pull_ref(arg, ref, sizeof(ref), err) < 0 || (lock = image_store_lock(store, false, err)) < 0)
		return -1;
	if (image_get(store, ref, &caps, isatty(fileno(out)) ? out : NULL, &img, err) < 0)
		return -1;
	fs_human_size(img.size, size, sizeof(size));
	fprintf(out, "%s %s (%zu layers, %s)\n", escape_text(img.name, line, sizeof(line)), img.manifest, img.n_layers,
		size);
	image_free(&img);
	return 0;
}

static void print_table(const struct image_entry *e, size_t n, FILE *out)
{
	char name[2 * IMAGEREF_MAX], size[32], unpacked[32], when[32];

	fprintf(out, "%-50s %-12s %10s %10s %s\n", "IMAGE", "ID", "SIZE", "UNPACKED", "CREATED");
	for (size_t i = 0; i < n; i++) {
		time_t t = (time_t)e[i].created;
		struct tm tm;

		fs_human_size(e[i].size, size, sizeof(size));
		fs_human_size(e[i].unpacked, unpacked, sizeof(unpacked));
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
		fprintf(out, "%-50s %-12.12s %10s %10s %s\n", escape_text(e[i].name, name, sizeof(name)),
			e[i].manifest + 7, size, e[i].unpacked ? unpacked : "-", when);
	}
}

/* One JSON array; jansson writes each name as valid UTF-8 (a name that is not is refused: null). */
static int print_json(const struct image_entry *e, size_t n, FILE *out, struct ce_error *err)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:o?, s:s, s:I, s:I, s:s?, s:I}", "name", json_string(e[i].name),
						   "manifest", e[i].manifest, "size", (json_int_t)e[i].size,
						   "unpacked", (json_int_t)e[i].unpacked, "tree", *e[i].tree ? e[i].tree : NULL,
						   "created", (json_int_t)e[i].created));
	if (!a || json_dumpf(a, out, JSON_INDENT(2)) < 0) {
		json_decref(a);
		return ce_error_set(err, ENOMEM, "images --json");
	}
	fputc('\n', out);
	json_decref(a);
	return 0;
}

int runtime_images(bool json, FILE *out, struct ce_error *err)
{
	const char *store = image_store_dir(err);
	_cleanup_free_ struct image_entry *e = NULL;
	size_t n = 0;

	if (!store || (access(store, F_OK) == 0 && image_list(store, &e, &n, err) < 0))
		return -1;
	if (!json) {
		print_table(e, n, out);
		return 0;
	}
	return print_json(e, n, out, err);
}

int runtime_rmi(const char *ref, FILE *out, struct ce_error *err)
{
	const char *store = image_store_dir(err);
	_cleanup_close_ int lock = -1;
	char **trees = NULL, size[32];
	uint64_t freed = 0;
	int rc;

	if (!store || (lock = image_store_lock(store, true, err)) < 0)
		return -1;
	if (image_remove(store, ref, err) < 0)
		return -1;
	rc = runtime_trees_in_use(&trees, err);
	if (rc == 0)
		rc = image_prune(store, trees, strv_length(trees), false, out, &freed, err);
	strv_free(trees);
	if (rc == 0 && freed) {
		fs_human_size(freed, size, sizeof(size));
		fprintf(out, "freed %s\n", size);
	}
	return rc;
}
