/* SPDX-License-Identifier: MIT */
/* test_image.c: unit tests for the registry client: the names it records (Docker's grammar and normalisation,
 * model/imageref), WWW-Authenticate challenges, and SHA-256 (libcrypto) known answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "image/reg.h"
#include "image/registry.h"
#include "model/imageref.h"
#include "util/sha256.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* s parses as a registry reference, recorded in a pulled layout as want. */
static void name_is(const char *s, const char *want)
{
	struct image_ref r;
	char why[256], name[IMAGEREF_MAX];

	if (imageref_parse(s, &r, why, sizeof(why)) < 0)
		fail_msg("%s: %s", s, why);
	assert_int_equal(r.transport, IMAGE_REGISTRY);
	assert_int_equal(registry_ref_name(&r, name, sizeof(name)), 0);
	assert_string_equal(name, want);
}

static void test_ref_names(void **state)
{
	(void)state;
	name_is("alpine", "docker.io/library/alpine:latest");
	name_is("library/alpine:3.22", "docker.io/library/alpine:3.22");
	name_is("docker.io/alpine", "docker.io/library/alpine:latest");
	name_is("bitnami/redis:7", "docker.io/bitnami/redis:7");
	name_is("docker://alpine:edge", "docker.io/library/alpine:edge");
	name_is("quay.io/podman/stable", "quay.io/podman/stable:latest");
	name_is("localhost:5000/a/b/c:v1.2-rc_3", "localhost:5000/a/b/c:v1.2-rc_3");
	name_is("127.0.0.1:5000/alpine@sha256:" D64, "127.0.0.1:5000/alpine@sha256:" D64);
	name_is("docker://[::1]:5000/alpine:3", "[::1]:5000/alpine:3");
	name_is("alpine:3.22@sha256:" D64, "docker.io/library/alpine:3.22@sha256:" D64);
	name_is("a__b/c-d--e.f", "docker.io/a__b/c-d--e.f:latest");
}

/* Docker's grammar: what it refuses, cengine refuses before it asks a registry. */
static void test_ref_bad(void **state)
{
	static const char *const bad[] = {
		"Alpine", "alpine:", "alpine:.x", "a/B", "a/b/", "/a", "a..b", "a.-b", "a___b", "a._b", "a-",
		"alpine@sha256:abc", "alpine@sha512:" D64 D64, "host:port/x", "[::1/x", "[]:5/x", "x:123456/y", "-x.io/y",
		"a b", "a\nb", "alpine:3.22:4",
	};
	struct image_ref r;
	char why[256], tag[7 + 129 + 1] = "alpine:";

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (imageref_parse(bad[i], &r, why, sizeof(why)) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
	memset(tag + 7, 'a', 128);
	assert_int_equal(imageref_parse(tag, &r, why, sizeof(why)), 0);	/* a tag of 128 characters */
	tag[7 + 128] = 'a';
	assert_int_equal(imageref_parse(tag, &r, why, sizeof(why)), -1);	/* of 129 */
}

static void test_challenge(void **state)
{
	struct reg_challenge c;

	(void)state;
	assert_int_equal(reg_challenge_parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
					     "scope=\"repository:library/alpine:pull\"", &c), 0);
	assert_string_equal(c.scheme, "Bearer");
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.service, "registry.docker.io");
	assert_string_equal(c.scope, "repository:library/alpine:pull");
	assert_int_equal(reg_challenge_parse("Basic realm=\"cengine \\\"test\\\"\", charset=UTF-8", &c), 0);
	assert_string_equal(c.scheme, "Basic");
	assert_string_equal(c.realm, "cengine \"test\"");
	assert_int_equal(reg_challenge_parse("bearer REALM=https://h/t , Service=x,error=\"insufficient_scope\"", &c), 0);
	assert_string_equal(c.realm, "https://h/t");
	assert_string_equal(c.service, "x");
	assert_int_equal(reg_challenge_parse("", &c), -1);
}

static void hex_of(const void *p, size_t n, char hex[65])
{
	uint8_t d[32];

	sha256_bytes(p, n, d);
	sha256_hex(d, hex);
}

static void test_sha256(void **state)
{
	static const char million_a[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	struct sha256 s;
	uint8_t d[32];
	char hex[65], block[1000];

	(void)state;
	hex_of("", 0, hex);	/* FIPS 180-2 examples */
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	memset(block, 'a', sizeof(block));
	sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		sha256_update(&s, block, sizeof(block));
	sha256_final(&s, d);
	sha256_hex(d, hex);
	assert_string_equal(hex, million_a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_names), cmocka_unit_test(test_ref_bad), cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_sha256),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
