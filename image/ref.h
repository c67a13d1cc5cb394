/* SPDX-License-Identifier: MIT */
/* ref.h: image references as Docker and skopeo read them: NAME[:TAG|@DIGEST], docker://HOST[:PORT]/NAME[...]. */
#pragma once

#include <stddef.h>

#include "util/error.h"

#define IMAGE_REF_DOCKER_HUB "docker.io"

/* A parsed reference, normalised as Docker does: "alpine" -> docker.io / library/alpine : latest. */
struct image_ref {
	char domain[256];	/* "docker.io", "127.0.0.1:5000", "[::1]:5000", "localhost", "quay.io" */
	char path[256];		/* "library/alpine": lowercase components joined by '/' */
	char tag[129];		/* "3.22"; "latest" when neither a tag nor a digest was given; "" with a digest only */
	char digest[72];	/* "sha256:<64 lowercase hex>" or "" */
};

/* Parse s (NAME[:TAG][@DIGEST], optionally after "docker://"): 0, or -1 with "s: why" in err. Only sha256
 * digests are accepted (the only algorithm registries serve). */
int image_ref_parse(const char *s, struct image_ref *r, struct ce_error *err);
/* The full normalised name, as recorded in an OCI layout's org.opencontainers.image.ref.name:
 * "docker.io/library/alpine:3.22", "127.0.0.1:5000/x@sha256:...", or "DOMAIN/PATH:TAG@DIGEST". */
void image_ref_name(const struct image_ref *r, char *out, size_t len);
/* The host[:port] to connect to: the domain, except registry-1.docker.io for docker.io. */
const char *image_ref_host(const struct image_ref *r);
/* 1 when digest is "sha256:" and 64 lowercase hex digits, else 0. */
int image_ref_digest_valid(const char *digest);
