/* SPDX-License-Identifier: MIT */
/* sha256.c: SHA-256 from libcrypto's SHA256_Init/Update/Final (linked from libcrypto.a when it exists: see bench/README.md). */
#include "util/sha256.h"

#include <errno.h>
#include <unistd.h>

/* The low-level calls are deprecated in OpenSSL 3 in favour of EVP, but EVP pulls the provider machinery
 * in: +4 MB and ~1 ms on every command when linked statically, against +22 kB and nothing measurable
 * for these (bench/sha256_options.sh). They are the same code EVP's default provider runs. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(struct sha256), "struct sha256 holds a SHA256_CTX");

void sha256_init(struct sha256 *s)
{
	SHA256_Init((SHA256_CTX *)s->opaque);
}

void sha256_update(struct sha256 *s, const void *p, size_t n)
{
	SHA256_Update((SHA256_CTX *)s->opaque, p, n);
}

void sha256_final(struct sha256 *s, uint8_t digest[32])
{
	SHA256_Final(digest, (SHA256_CTX *)s->opaque);
}

void sha256_bytes(const void *p, size_t n, uint8_t digest[32])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, p, n);
	sha256_final(&s, digest);
}

void sha256_hex(const uint8_t digest[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

int sha256_file(int fd, char hex[65])
{
	struct sha256 s;
	uint8_t buf[65536], digest[32];
	ssize_t n;

	sha256_init(&s);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		sha256_update(&s, buf, (size_t)n);
	}
	sha256_final(&s, digest);
	sha256_hex(digest, hex);
	return 0;
}
