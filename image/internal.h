/* SPDX-License-Identifier: MIT */
/* internal.h: what the image module's files share: descriptors, sources, the store's paths, JSON helpers. */
#pragma once

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "image/image.h"
#include "util/cleanup.h"

static inline void img_json_decrefp(json_t **j)
{
	if (*j)
		json_decref(*j);
}
#define _cleanup_json_ _cleanup_(img_json_decrefp)

/* Names shared between the image module's files start with img_: they are not its API (image.h). */

#define IMG_JSON_MAX (4u << 20)		/* an index, manifest or config: larger is refused (as containerd) */
#define IMG_TEMP_PREFIX ".tmp-"		/* a temporary of the store: .tmp-<pid>-<starttime>-XXXXXX */
#define IMG_NEST_MAX 4			/* indexes inside indexes */

/* An OCI content descriptor. */
struct img_desc {
	char media[128];
	char digest[IMAGE_DIGEST_MAX];	/* "sha256:<64 hex>" */
	uint64_t size;
};

struct img_manifest {
	struct img_desc self;		/* the manifest's own descriptor */
	struct img_desc config;
	struct img_desc *layers;
	size_t n_layers;
};

/* Where an image is read from: an OCI image layout (a user's directory, or a temporary one of the
 * store that an archive was unpacked into or a registry pulled into). */
struct img_source {
	int dirfd;			/* the layout; -1 when the store already knew the image (memo) */
	char path[PATH_MAX];		/* its path */
	char what[IMAGEREF_MAX];	/* for messages: the reference as the user wrote it, canonical */
	char ref[256];			/* the image to take from its index ("" = its only one) */
	bool own;			/* a temporary of ours: its blobs may be moved, it is removed after */
	char identity[128];		/* an archive's dev-ino-size-mtime ("" for others): the memo's key */
};

/* json.c */
/* fd's file at path (relative to dirfd), at most max bytes, into a malloc'ed *buf. 0 or -1. */
int img_read_file(int dirfd, const char *path, size_t max, char **buf, size_t *len, struct ce_error *err);
/* The blob d of the layout dirfd, its size and digest checked, parsed. what names the layout. */
int img_blob_json(int dirfd, const char *what, const struct img_desc *d, json_t **out, struct ce_error *err);
int img_json_parse(const char *buf, size_t len, const char *what, json_t **out, struct ce_error *err);
/* A descriptor object (mediaType, digest, size); mediaType may be missing when fallback is given. */
int img_desc_parse(const json_t *j, const char *what, const char *fallback, struct img_desc *d, struct ce_error *err);
/* o[key] as a string, or NULL. */
const char *img_json_str(const json_t *o, const char *key);
bool img_valid_digest(const char *digest);

/* layout.c */
/* Host architecture as OCI names it ("amd64", "arm64", ...). */
const char *img_host_arch(void);
/* The manifest of src's image: ref (or the only image) through nested indexes, this host's platform;
 * every blob read is checked against its digest. */
int img_layout_select(const struct img_source *src, struct img_manifest *m, struct ce_error *err);
/* Parse a manifest's JSON (its descriptor self) into m: its config and layers, media types known. */
int img_manifest_parse(const json_t *j, const char *what, const struct img_desc *self, struct img_manifest *m,
		       struct ce_error *err);
void img_manifest_free(struct img_manifest *m);

/* config.c */
int img_config_parse(const json_t *j, const char *what, struct image_config *c, struct ce_error *err);

/* store.c */
/* STORE/blobs/sha256/<hex> */
void img_blob_path(const char *store, const char *digest, char *out, size_t len);
/* Put blob d of src into the store unless it is there: copied (or moved, from our own temporary)
 * into a temporary, its size and digest checked, then renamed into place. */
int img_blob_import(const char *store, const struct img_source *src, const struct img_desc *d, struct ce_error *err);
/* A store blob, read and parsed (it was checked when it came in). */
int img_store_json(const char *store, const struct img_desc *d, json_t **out, struct ce_error *err);
/* The tree's name: the sha256 (hex) of m's layer digests, one a line. Images whose layers are the same
 * (tags of one content, configs that differ) share one tree. */
void img_tree_id(const struct img_manifest *m, char hex[65]);
/* STORE/trees/<tree id> */
void img_tree_path(const char *store, const char *id, char *out, size_t len);
/* Make (mode 0700) and return STORE/sub, for temporaries and records. */
int img_store_subdir(const char *store, const char *sub, char *out, size_t len, struct ce_error *err);

/* names.c: the name records, STORE/names/<sha256 of the name>.json: name, manifest, config, layers, tree, size */
int img_name_save(const char *store, const struct image *img, const struct img_manifest *m, const char *identity,
		  struct ce_error *err);
struct img_record {
	struct img_desc self;		/* the manifest */
	struct img_desc config;		/* its config (media type not kept: "") */
	char tree[65];			/* the tree id */
	char identity[128];		/* an archive's identity when it was imported */
};
/* The record of name: 1 (filled in), 0 none. */
int img_name_find(const char *store, const char *name, struct img_record *rec);

/* list.c: each name record of the store, parsed, to fn (0 goes on, -1 stops). */
int img_each_record(const char *store, int (*fn)(void *ctx, const char *path, json_t *r), void *ctx,
		    struct ce_error *err);

/* archive.c: an oci-archive or docker-archive unpacked into a temporary layout of the store;
 * a legacy docker-archive (manifest.json) is turned into an OCI layout there. */
int img_archive_open(const char *store, const struct image_ref *r, const struct image_caps *caps,
		     struct img_source *src, struct ce_error *err);

/* pull.c: a registry image into a temporary layout of the store (the one place the registry client
 * is called). */
int img_registry_open(const char *store, const struct image_ref *r, struct img_source *src, struct ce_error *err);

/* unpack.c: m's layers, in order, whiteouts applied, into a temporary tree renamed to tree. */
int img_unpack(const char *store, const struct img_manifest *m, const struct image_caps *caps, FILE *progress,
	       const char *tree, struct ce_error *err);

/* temp.c: a temporary dir of the store, STORE/tmp/.tmp-<pid>-<starttime>-XXXXXX, in out. */
int img_temp_dir(const char *store, const char *sub, char *out, size_t len, struct ce_error *err);
