/* SPDX-License-Identifier: MIT */
/* sha256_options.c: one SHA-256 of a link name, built once per way cengine could get SHA-256 (bench/sha256_options.sh). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_alg.h>
#if defined(LOWLEVEL) || defined(EVP)
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#endif
#ifdef GCRY
#include <gcrypt.h>
#endif

int main(void)
{
	static const char m[] = "cengine\0project\0name\0eth0";
	uint8_t d[32] = { 0 };
	size_t n = sizeof(m) - 1;
#if defined(LOWLEVEL)
	SHA256_CTX c;

	SHA256_Init(&c), SHA256_Update(&c, m, n), SHA256_Final(d, &c);
#elif defined(EVP)
	unsigned int l;

	EVP_Digest(m, n, d, &l, EVP_sha256(), NULL);
#elif defined(DLOPEN)
	void *h = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
	uint64_t c[16];
	int (*init)(void *) = dlsym(h, "SHA256_Init");
	int (*update)(void *, const void *, size_t) = dlsym(h, "SHA256_Update");
	int (*final)(uint8_t *, void *) = dlsym(h, "SHA256_Final");

	init(c), update(c, m, n), final(d, c);
#elif defined(ALG)
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "hash", .salg_name = "sha256" };
	int s = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), o;

	if (s < 0 || bind(s, (void *)&sa, sizeof(sa)) < 0 || (o = accept4(s, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		perror("AF_ALG");
		return 1;
	}
	if (write(o, m, n) < 0 || read(o, d, 32) < 0)
		return 1;
#elif defined(GCRY)
	gcry_check_version(NULL);
	gcry_md_hash_buffer(GCRY_MD_SHA256, d, m, n);
#endif
	printf("%02x%02x\n", d[0], d[1]);
	return 0;
}
