/* SPDX-License-Identifier: MIT */
/* registry.h: pull an image from a registry (distribution v2 API, libcurl) into an OCI image layout directory. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "model/imageref.h"
#include "util/error.h"

#define REGISTRY_TIMEOUT_DEFAULT 30	/* seconds: to connect, and without a byte while a response is due */

/* Called as bytes of a blob arrive: which blob ("sha256:..."), how many so far, how many in all. */
typedef void registry_progress_fn(void *arg, const char *digest, uint64_t done, uint64_t total);

struct registry_opts {
	const char *const *insecure;	/* n_insecure "HOST[:PORT]" that may be spoken to over plain HTTP */
	size_t n_insecure;		/* (loopback registries always may: 127.0.0.0/8, ::1, localhost) */
	unsigned timeout;		/* seconds; 0 = REGISTRY_TIMEOUT_DEFAULT */
	const char *auth_file;		/* credentials only from this file (auth.json form); NULL = the usual ones */
	const char *ca_file;		/* CA certificates (PEM) to trust; NULL = $SSL_CERT_FILE, else the system's */
	const char *arch;		/* platform wanted ("amd64", "arm64"...); NULL = this host's */
	const char *variant;		/* "v8", "v7"...; NULL = any */
	const char *known_blobs;	/* another blobs/sha256 directory (the store's): a layer there is not fetched */
	uint64_t max_layers_size;	/* bytes the layers may have together (a layer never unpacks to less than it
					 * is, so: unpack_max_size); more is refused before a byte is fetched. 0: any */
	registry_progress_fn *progress;	/* NULL = silent */
	void *progress_arg;
};

/*
 * Pull ref (NAME[:TAG|@DIGEST] or docker://HOST[:PORT]/NAME[:TAG|@DIGEST], model/imageref.h) into the OCI image
 * layout open at layout_dirfd (oci-layout, index.json and blobs/sha256/ are made when missing).
 *
 * Writes the layers, the config, the manifest for this host's platform and, when the registry served an
 * image index or Docker manifest list, that index too (only the chosen platform's manifest is fetched).
 * Each blob is verified while it streams (size and sha256) into an unnamed file that is linked under
 * blobs/sha256/<hex> only once it matched: a pull killed at any point leaves no blob under a digest it
 * does not have. Blobs already present (same size) are not fetched again, nor layers in opts->known_blobs
 * (they are then missing from the layout). Last, index.json gets (under an flock of the layout directory,
 * by rename) one descriptor for the ref: the index when there was one, else the manifest, annotated
 * org.opencontainers.image.ref.name = registry_ref_name() (e.g. "docker.io/library/alpine:3.22"),
 * replacing the one of that name.
 *
 * HTTPS is verified against the system's CAs (or opts->ca_file / $SSL_CERT_FILE); plain HTTP only to a
 * loopback or opts->insecure registry when HTTPS does not answer there. Credentials: opts->auth_file, else
 * $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, then $DOCKER_CONFIG/config.json or
 * ~/.docker/config.json ("auths": { "HOST": { "auth": base64(user:password) } }), for basic and bearer-token
 * challenges. Returns 0, or -1 with one line in err ("pulling REF: ...").
 */
int registry_pull(const char *ref, int layout_dirfd, const struct registry_opts *opts, struct ce_error *err);
/* The name registry_pull() records r under: "HOST/REPO[:TAG][@DIGEST]" ("docker.io/library/alpine:3.22");
 * -1 when it does not fit in len. */
int registry_ref_name(const struct image_ref *r, char *out, size_t len);
