/* SPDX-License-Identifier: MIT */
/* sha256.h: SHA-256 (libcrypto's) of a buffer, a stream of buffers (blobs as they arrive) or a file. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* A digest in progress; its contents belong to sha256.c (libcrypto's SHA256_CTX fits in it). */
struct sha256 {
	uint64_t opaque[16];
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *p, size_t n);
/* The 32-byte digest of everything given to sha256_update() since sha256_init(). */
void sha256_final(struct sha256 *s, uint8_t digest[32]);
/* The 32-byte digest of n bytes at p. */
void sha256_bytes(const void *p, size_t n, uint8_t digest[32]);
/* digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(const uint8_t digest[32], char hex[65]);
/* The digest of what is left to read on fd as 64 lowercase hex digits: 0, or -1 with errno set. */
int sha256_file(int fd, char hex[65]);
