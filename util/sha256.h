/* SPDX-License-Identifier: MIT */
/* sha256.h: SHA-256 of a file (content address of a rootfs tarball) or of a buffer (hashed link names). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The digest as 64 lowercase hex digits: 0, or -1 with errno set. */
int sha256_file(int fd, char hex[65]);
/* The 32-byte digest of n bytes at p. */
void sha256_bytes(const void *p, size_t n, uint8_t digest[32]);
