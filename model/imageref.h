/* SPDX-License-Identifier: MIT */
/* imageref.h: an `image` value in the transport syntax of containers-transports(5), parsed and printed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define IMAGEREF_MAX 512		/* a whole reference, with its NUL */
#define IMAGEREF_DEFAULT_HOST "docker.io"
#define IMAGEREF_DEFAULT_TAG "latest"

enum image_transport {
	IMAGE_OCI,			/* oci:DIR[:REF] */
	IMAGE_OCI_ARCHIVE,		/* oci-archive:FILE[:REF] */
	IMAGE_DOCKER_ARCHIVE,		/* docker-archive:FILE[:NAME:TAG] */
	IMAGE_REGISTRY,			/* [docker://]HOST[:PORT]/NAME[:TAG|@DIGEST] */
};

struct image_ref {
	enum image_transport transport;
	char path[IMAGEREF_MAX];	/* the DIR or FILE of oci, oci-archive, docker-archive */
	char ref[256];			/* their REF (or NAME:TAG); "" = the only image */
	char host[256];			/* registry: "docker.io", "127.0.0.1:5000" */
	char repo[256];			/* registry: "library/alpine" */
	char tag[129];			/* registry: "3.22" ("latest" when neither tag nor digest) */
	char digest[72];		/* registry: "sha256:<64 hex>", or "" */
};

/* Parse s. 0, or -1 with why (a phrase for "image: ...") in why. Registry names are expanded as
 * Docker does: "alpine" -> docker.io/library/alpine:latest. A file path is kept as written. */
int imageref_parse(const char *s, struct image_ref *r, char *why, size_t len);
/* The canonical text of r ("oci:/abs/dir:ref", "docker://docker.io/library/alpine:3.22"):
 * what check prints and what the store names the image by. */
void imageref_format(const struct image_ref *r, char *buf, size_t len);
/* Is the name of a layout file transport (oci:, oci-archive:, docker-archive:)? */
static inline bool imageref_is_file(const struct image_ref *r)
{
	return r->transport != IMAGE_REGISTRY;
}
