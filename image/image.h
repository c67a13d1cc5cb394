/* SPDX-License-Identifier: MIT */
/* image.h: OCI and Docker images into a content-addressed store, each unpacked once; listing, removal, prune. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/imageref.h"
#include "util/error.h"

#define IMAGE_STORE_DEFAULT "/var/lib/cengine/images"
#define IMAGE_STORE_MAX 200		/* the store's path: its trees are overlay lower dirs */
#define IMAGE_DIGEST_MAX 72		/* "sha256:" + 64 hex + NUL */

/* What the image's config says the container runs with (each NULL or "" when it says nothing). */
struct image_config {
	char **entrypoint;		/* NULL-terminated */
	char **cmd;
	char **env;			/* "KEY=VALUE" */
	char *workdir;
	char *user;
	char *stop_signal;
	char arch[32];			/* "amd64" */
	char os[32];			/* "linux" */
};

/* An image in the store, ready to be a lower dir. */
struct image {
	char name[IMAGEREF_MAX];	/* the canonical reference it was asked by */
	char manifest[IMAGE_DIGEST_MAX];	/* "sha256:..." of its manifest: its identity */
	char tree[IMAGE_STORE_MAX + 96];	/* STORE/trees/<tree id>: the unpacked root tree (shared by the
						 * images of the same layers) */
	struct image_config config;
	uint64_t size;			/* bytes of its layers as stored (compressed) */
	size_t n_layers;
	char asked[IMAGEREF_MAX];	/* free for the caller: the reference it was got by */
};

/* What unpacking one image may write (model: unpack_max_size, unpack_max_entries). */
struct image_caps {
	uint64_t max_size;
	uint64_t max_entries;
};

/* The store: CENGINE_STORE_DIR, else IMAGE_STORE_DEFAULT. NULL with err when the variable is not an
 * absolute path usable in overlay options (no ',' ':' '\\' or blank, < IMAGE_STORE_MAX bytes). */
const char *image_store_dir(struct ce_error *err);
/* Make the store and lock it: shared while an up or a pull imports, unpacks and journals the
 * tree it uses; exclusive while rmi or prune decide what is unused. The lock's fd or -1. */
int image_store_lock(const char *store, bool exclusive, struct ce_error *err);

/* The image ref (an `image` value: model/imageref.h syntax) in the store: imported where the store
 * lacks it (each blob verified against its digest as it is copied), unpacked once into its tree
 * (within caps; concurrent callers wait for one unpack; a killed unpack leaves nothing that is
 * used later), its name recorded. With progress (a terminal), one line per layer as it goes.
 * The caller holds the store's shared lock. 0, or -1 with err set (one line; entry names from the
 * image escaped). */
int image_get(const char *store, const char *ref, const struct image_caps *caps, FILE *progress,
	      struct image *out, struct ce_error *err);
void image_free(struct image *img);
/* The config of the image the store has under the name ref (nothing is imported): what exec gives
 * a container of an image that is up. 0, or -1 with err set (not in the store: code 0). */
int image_config_lookup(const char *store, const char *ref, struct image_config *out, struct ce_error *err);
void image_config_free(struct image_config *c);

/* One image the store has a name for. */
struct image_entry {
	char name[IMAGEREF_MAX];
	char manifest[IMAGE_DIGEST_MAX];
	uint64_t size;			/* bytes of its layers as stored */
	uint64_t unpacked;		/* bytes its tree takes on disk (0: not unpacked) */
	char tree[IMAGE_STORE_MAX + 96];	/* its tree's path ("" when not unpacked) */
	long long created;		/* when it was recorded (seconds since the epoch) */
};

/* The named images of the store, sorted by name; *n of them in a malloc'ed *out. 0 or -1. */
int image_list(const char *store, struct image_entry **out, size_t *n, struct ce_error *err);
/* Forget the name ref (any spelling image_get takes); its tree and blobs go with the next prune
 * (image_prune) unless another name uses them. The caller holds the store's exclusive lock.
 * 0, or -1 with err set (ENOENT: no such image). */
int image_remove(const char *store, const char *ref, struct ce_error *err);
/* Remove (dry_run: only list) each tree no name uses and none of the n trees in use is, each blob
 * no name's image needs, and what killed imports left. One line per removal ("removed PATH (SIZE)")
 * to out, then the space freed. The caller holds the store's exclusive lock. 0 or -1. */
int image_prune(const char *store, char *const *in_use, size_t n, bool dry_run, FILE *out, uint64_t *freed,
		struct ce_error *err);
