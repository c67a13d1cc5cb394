/* SPDX-License-Identifier: MIT */
/* test_image.c: unit tests for image references (Docker's normalisation), WWW-Authenticate challenges and SHA-256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "image/reg.h"
#include "image/ref.h"
#include "util/sha256.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* s parses, and its normalised name is want. */
static void ref_is(const char *s, const char *want)
{
	struct ce_error err = { 0 };
	struct image_ref r;
	char name[600];

	if (image_ref_parse(s, &r, &err) < 0)
		fail_msg("%s: %s", s, err.msg);
	image_ref_name(&r, name, sizeof(name));
	assert_string_equal(name, want);
}

static void test_ref_normalise(void **state)
{
	(void)state;
	ref_is("alpine", "docker.io/library/alpine:latest");
	ref_is("alpine:3.22", "docker.io/library/alpine:3.22");
	ref_is("library/alpine:3.22", "docker.io/library/alpine:3.22");
	ref_is("docker.io/alpine", "docker.io/library/alpine:latest");
	ref_is("index.docker.io/alpine", "docker.io/library/alpine:latest");
	ref_is("bitnami/redis:7", "docker.io/bitnami/redis:7");
	ref_is("docker://alpine:edge", "docker.io/library/alpine:edge");
	ref_is("quay.io/podman/stable", "quay.io/podman/stable:latest");
	ref_is("localhost/x", "localhost/x:latest");
	ref_is("localhost:5000/a/b/c:v1.2-rc_3", "localhost:5000/a/b/c:v1.2-rc_3");
	ref_is("127.0.0.1:5000/alpine@sha256:" D64, "127.0.0.1:5000/alpine@sha256:" D64);
	ref_is("docker://[::1]:5000/alpine:3", "[::1]:5000/alpine:3");
	ref_is("alpine:3.22@sha256:" D64, "docker.io/library/alpine:3.22@sha256:" D64);
	ref_is("a__b/c-d--e.f", "docker.io/a__b/c-d--e.f:latest");
	ref_is("Registry/x", "Registry/x:latest");	/* an upper-case first part is a host, as Docker says */
}

static void test_ref_parts(void **state)
{
	struct ce_error err = { 0 };
	struct image_ref r;

	(void)state;
	assert_int_equal(image_ref_parse("alpine@sha256:" D64, &r, &err), 0);
	assert_string_equal(r.tag, "");
	assert_string_equal(r.digest, "sha256:" D64);
	assert_string_equal(image_ref_host(&r), "registry-1.docker.io");
	assert_int_equal(image_ref_parse("127.0.0.1:5000/team/x:1", &r, &err), 0);
	assert_string_equal(r.domain, "127.0.0.1:5000");
	assert_string_equal(r.path, "team/x");
	assert_string_equal(image_ref_host(&r), "127.0.0.1:5000");
}

static void test_ref_bad(void **state)
{
	static const char *const bad[] = {
		"", "Alpine", "alpine:", "alpine:-x", "alpine:.x", "a/B", "a//b", "a/b/", "/a", "a..b", "a.-b", "a___b",
		"a-", "alpine@sha256:abc", "alpine@sha512:" D64 D64, "alpine@sha256:" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
		"host:port/x", "[::1/x", "x:5000000/y", "alpine:" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"a b", "a\nb", "docker://", "alpine:3.22:4",
	};
	struct ce_error err = { 0 };
	struct image_ref r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (image_ref_parse(bad[i], &r, &err) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(image_ref_parse("Alpine", &r, &err), -1);
	assert_non_null(strstr(err.msg, "Alpine: not an image reference: repository name must be lowercase"));
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
		cmocka_unit_test(test_ref_normalise), cmocka_unit_test(test_ref_parts), cmocka_unit_test(test_ref_bad),
		cmocka_unit_test(test_challenge),     cmocka_unit_test(test_sha256),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
