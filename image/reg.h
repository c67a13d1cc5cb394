/* SPDX-License-Identifier: MIT */
/* reg.h: what the registry client's files share: a session with one registry, responses, sinks, challenges. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/internal.h"
#include "image/registry.h"
#include "model/imageref.h"
#include "util/error.h"
#include "util/sha256.h"

#define REG_MANIFEST_MAX (4u << 20)	/* bytes: a manifest or index (containerd's limit) */
#define REG_CONFIG_MAX (16u << 20)	/* bytes: an image config (history can be long) */
#define REG_TOKEN_MAX (64u << 10)	/* bytes: a token endpoint's answer */

/* Where a response's body goes: memory (up to max bytes) or a file, digested as it arrives. */
struct reg_sink {
	char *buf;		/* memory: malloc'ed, NUL-terminated */
	size_t len, cap, max;
	int fd;			/* file: >= 0 */
	uint64_t expect;	/* file: the descriptor's size; more is an error */
	uint64_t n;		/* bytes taken */
	bool overflow;		/* more than max / expect arrived */
	bool write_failed;
	int write_errno;
	struct sha256 sha;
	const char *digest;	/* for progress */
	const struct registry_opts *opts;
};

/* The headers cengine reads from a response, and the start of an error body. */
struct reg_response {
	long status;
	int curl_code;		/* CURLcode of the transfer */
	char www_authenticate[1024];
	char content_type[256];
	char docker_digest[80];
	char error_body[512];
	size_t error_len;
};

/* One registry, one repository: the connection (one CURL handle, kept alive) and the credentials. */
struct reg_session {
	void *curl;			/* CURL * */
	const struct registry_opts *opts;
	struct image_ref ref;
	char ref_name[IMAGEREF_MAX + 256];		/* "docker.io/library/alpine:3.22": for messages and the layout's ref.name */
	char base[300];			/* "https://HOST[:PORT]" or "http://..." */
	char basic[1024];		/* base64(user:password) from an auth file, "" when none */
	char authorization[8192];	/* "Authorization: Basic ..." / "Bearer ..." once a challenge was met */
};

/* A WWW-Authenticate challenge: scheme and the parameters cengine uses. */
struct reg_challenge {
	char scheme[16];	/* "Bearer", "Basic" (as sent) */
	char realm[1024];
	char service[256];
	char scope[512];
};

/* reg_http.c */
/* The host[:port] to connect to: the reference's, except registry-1.docker.io for docker.io. */
const char *reg_host(const struct reg_session *s);
int reg_session_open(struct reg_session *s, const char *ref, const struct registry_opts *opts, struct ce_error *err);
void reg_session_close(struct reg_session *s);
/* GET base + path (or url when it starts with "http") into sink; resp filled. 0 when an answer came (any
 * status), -1 with err for a transport failure (timeout, TLS, refused, sink overflow or write error). */
int reg_http_get(struct reg_session *s, const char *path, const char *accept, const char *authorization,
		 struct reg_sink *sink, struct reg_response *resp, struct ce_error *err);
void reg_sink_memory(struct reg_sink *k, size_t max);
void reg_sink_file(struct reg_sink *k, int fd, uint64_t expect, const char *digest, const struct registry_opts *opts);
void reg_sink_free(struct reg_sink *k);
/* "HTTP 404 (MANIFEST_UNKNOWN: manifest unknown)" for a response that was not 2xx. */
void reg_response_describe(const struct reg_response *r, char *out, size_t len);

/* reg_auth.c */
int reg_challenge_parse(const char *header, struct reg_challenge *c);
/* GET base + path, meeting one 401 challenge (basic, or a bearer token from the realm) with the credentials
 * of the session; afterwards s->authorization serves the next requests. */
int reg_get(struct reg_session *s, const char *path, const char *accept, struct reg_sink *sink,
	    struct reg_response *resp, struct ce_error *err);
/* s->basic from the auth files for the session's registry ("" when none has it): 0, or -1 for an unreadable file. */
int reg_credentials_find(struct reg_session *s, struct ce_error *err);

/* reg_blob.c */
/* The blobs/sha256 directory of the layout (made with oci-layout when missing): fd, or -1 with err. */
int reg_layout_open(int layout_dirfd, struct ce_error *err);
/* 1 when blobs/sha256/<hex of digest> exists with size bytes, else 0. */
int reg_blob_have(int blobs_fd, const char *digest, uint64_t size);
/* Fetch blob digest (size bytes) into the layout unless it is there: 0 or -1 with err. */
int reg_blob_fetch(struct reg_session *s, int blobs_fd, const char *digest, uint64_t size, struct ce_error *err);
/* Store n bytes at p, whose digest is digest, as a blob: 0 or -1 with err. */
int reg_blob_put(int blobs_fd, const char *digest, const void *p, size_t n, struct ce_error *err);
/* index.json gets desc (a JSON object: mediaType, digest, size) annotated with ref_name, replacing that name's. */
int reg_index_record(int layout_dirfd, const char *media_type, const char *digest, uint64_t size,
		     const char *ref_name, struct ce_error *err);

/* reg_platform.c */
/* The manifest of index_json (an OCI index or Docker list) for the wanted platform: its digest and media
 * type copied out; 0, or -1 with the platforms there are in err. */
int reg_platform_select(const char *index_json, const struct registry_opts *opts, char digest[72],
			char media_type[256], struct ce_error *err);
/* 0 when config_json's os/architecture(/variant) is the wanted platform, else -1 with err. */
int reg_platform_check_config(const char *config_json, const struct registry_opts *opts, struct ce_error *err);
