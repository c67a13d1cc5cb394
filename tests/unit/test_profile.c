/* SPDX-License-Identifier: MIT */
/* test_profile.c: unit tests for the security profile class: escaping untrusted text, the user namespace range, the recorded profile. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "parser/name.h"
#include "parser/parser.h"
#include "parser/source.h"
#include "runtime/launch/userns.h"
#include "util/json.h"
#include "runtime/verbs/verbs.h"
#include "state/journal.h"
#include "state/project_state.h"
#include "tests/unit/fixture.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/base64.h"
#include "util/escape.h"

/* ---- util/escape ---- */

static const char *text(const char *s)
{
	static char out[256];

	return escape_text(s, out, sizeof(out));
}

/* s as util/json prints it: a one-element array, so that NULL (null) is a document too */
static const char *json(const char *s)
{
	static char out[256];
	FILE *f = fmemopen(out, sizeof(out), "w");

	assert_non_null(f);
	assert_int_equal(json_print(f, json_pack("[o]", json_text(s))), 0);
	assert_int_equal(fclose(f), 0);
	out[strlen(out) - 2] = '\0';	/* "]\n" */
	return out + 1;
}

/* What fn writes of s (len bytes) on a stream: escape_yaml, base64_write. */
static const char *written(void (*fn)(FILE *, const char *), void (*bytes)(FILE *, const void *, size_t),
			   const char *s, size_t len)
{
	static char out[256];
	FILE *f;

	out[0] = '\0';	/* what fmemopen leaves when nothing is written */
	f = fmemopen(out, sizeof(out), "w");
	assert_non_null(f);
	if (fn)
		fn(f, s);
	else
		bytes(f, s, len);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_text_keeps_plain_and_utf8(void **state)
{
	(void)state;
	assert_string_equal(text("web-1.example"), "web-1.example");
	assert_string_equal(text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3");
	assert_string_equal(text("a\\x1b"), "a\\x1b");	/* a backslash stays: escaping is idempotent */
	assert_string_equal(text(text("\x1b[2J")), "\\x1b[2J");
}

static void test_text_escapes_controls(void **state)
{
	(void)state;
	assert_string_equal(text("a\nb"), "a\\x0ab");
	assert_string_equal(text("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
	assert_string_equal(text("del\x7f"), "del\\x7f");
	/* C1: U+009B (CSI) as UTF-8, and as a lone byte */
	assert_string_equal(text("\xc2\x9b" "31m"), "\\xc2\\x9b31m");
	assert_string_equal(text("\x9b" "31m"), "\\x9b31m");
}

static void test_text_escapes_invalid_utf8(void **state)
{
	(void)state;
	assert_string_equal(text("\xff\xfe"), "\\xff\\xfe");
	assert_string_equal(text("\xc0\xaf"), "\\xc0\\xaf");		/* overlong '/' */
	assert_string_equal(text("\xed\xa0\x80"), "\\xed\\xa0\\x80");	/* a surrogate */
	assert_string_equal(text("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");	/* above U+10FFFF */
	assert_string_equal(text("x\xe2\x82"), "x\\xe2\\x82");		/* cut short at the end */
}

static void test_text_cut_between_escapes(void **state)
{
	char out[8];

	(void)state;
	assert_string_equal(escape_text("ab\x1b" "cd", out, sizeof(out)), "ab\\x1bc");
	assert_string_equal(escape_text("abcd\x1b", out, sizeof(out)), "abcd");	/* no half escape */
	assert_string_equal(escape_text("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", out, sizeof(out)),
			    "\xe2\x82\xac\xe2\x82\xac");	/* no half character */
}

static void test_error_wrap_untrusted(void **state)
{
	struct ce_error err = { 0 };

	(void)state;
	ce_error_set(&err, 0, "x.tar: entry \"\x1b[31mred\nline\" refused");
	ce_error_wrap_untrusted(&err, "rootfs");
	assert_string_equal(err.msg, "rootfs: x.tar: entry \"\\x1b[31mred\\x0aline\" refused");
}

static void test_json(void **state)
{
	(void)state;
	assert_string_equal(json(NULL), "null");
	assert_string_equal(json("web"), "\"web\"");
	assert_string_equal(json("a\"b\\c\nd\x1b"), "\"a\\\"b\\\\c\\nd\\u001B\"");
	assert_string_equal(json("\x7f\xc2\x9b"), "\"\\u007f\\u009B\"");
	assert_string_equal(json("\xe2\x80\xa8"), "\"\\u2028\"");
	assert_string_equal(json("h\xff\xfe" "st"), "\"h\\uFFFD\\uFFFDst\"");
	assert_string_equal(json("caf\xc3\xa9 \xf0\x9f\x90\xb3"), "\"caf\\u00E9 \\uD83D\\uDC33\"");	/* ASCII only */
	assert_string_equal(json("\xe2\x80\xae" "evil"), "\"\\u202Eevil\"");	/* a bidi override, not raw */
}

/* YAML: JSON's escapes (a fake "---" document stays inside the string), and U+FEFF, U+FFFE and
 * U+FFFF, which YAML does not hold, escaped; NULL as "". */
static void test_yaml(void **state)
{
	(void)state;
	assert_string_equal(written(escape_yaml, NULL, NULL, 0), "\"\"");
	assert_string_equal(written(escape_yaml, NULL, "a\n---\nkind: Secret", 0), "\"a\\n---\\nkind: Secret\"");
	assert_string_equal(written(escape_yaml, NULL, "\xef\xbb\xbf\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd", 0),
			    "\"\\ufeff\\ufffe\\uffff\xef\xbf\xbd\"");
	assert_string_equal(written(escape_yaml, NULL, "h\xff: \x1b", 0), "\"h\\ufffd: \\u001b\"");
	assert_true(escape_utf8_valid("caf\xc3\xa9", 5));
	assert_false(escape_utf8_valid("caf\xc3", 4));
	assert_false(escape_utf8_valid("a\0b", 3));
	assert_false(escape_utf8_valid("\xff\xfe", 2));
}

/* RFC 4648's test vectors, and bytes that are not text. */
static void test_base64(void **state)
{
	static const char *const v[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" }, { "\xff\xfe" "A", "//5B" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
		assert_string_equal(written(NULL, base64_write, v[i][0], strlen(v[i][0])), v[i][1]);
	assert_string_equal(written(NULL, base64_write, "\0\0", 2), "AAA=");
}

/* ---- the default id range (runtime/launch/userns.c) ---- */

static const char *const files[USERNS_ID_FILES] = { "subuid", "subgid", "passwd", "group" };

static struct idmap range_of(const char *subuid, const char *subgid, const char *passwd, const char *group)
{
	const char *const text[USERNS_ID_FILES] = { subuid, subgid, passwd, group };
	char *paths[USERNS_ID_FILES];
	struct ce_error err = { 0 };
	struct idmap m = { 0 };

	for (int i = 0; i < USERNS_ID_FILES; i++) {
		paths[i] = strdup(fixture_at(files[i]));
		assert_non_null(paths[i]);
		unlink(paths[i]);
		if (text[i])
			fixture_write(files[i], text[i]);
	}
	assert_int_equal(userns_default_range_from((const char *const *)paths, &m, &err), 0);
	assert_true(m.on);
	for (int i = 0; i < USERNS_ID_FILES; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	return m;
}

static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\n"
			     "alice:x:1000:1000::/home/alice:/bin/bash\n";
static const char group[] = "root:x:0:\nnogroup:x:65534:\nalice:x:1000:\n";

/* What the default range is, given the four files (NULL: absent). */
static const struct {
	const char *why, *subuid, *subgid, *passwd, *group;
	uint32_t uid, gid, count;
} ranges[] = {
	{ "useradd gave alice 100000:65536 and bob 165536:65536: the first free aligned range is 262144",
	  "alice:100000:65536\nbob:165536:65536\n", "alice:100000:65536\nbob:165536:65536\n", passwd, group,
	  262144, 262144, 65536 },
	{ "no subordinate ranges at all: above nobody (65534)", NULL, NULL, passwd, group, 65536, 65536, 65536 },
	{ "a uid or gid in passwd or group higher than the ranges counts too, and subgid alone too",
	  "alice:100000:65536\n", "alice:100000:65536\ncarol:400000:1\n", "big:x:300000:5::/:/bin/sh\n", "g:x:70000:\n",
	  458752, 458752, 65536 },
	{ "nfsnobody (4294967294) and unreadable lines are no one's range",
	  "garbage\nx:y:z\n", NULL, "nfsnobody:x:4294967294:4294967294::/:/sbin/nologin\n", NULL, 65536, 65536, 65536 },
	{ "no files at all: never host ids 0..65535 (host root!)", NULL, NULL, NULL, NULL, 65536, 65536, 65536 },
	{ "the administrator's range for root wins, for uids and gids each",
	  "alice:100000:65536\nroot:1000000:65536\n", "root:2000000:100000\n", passwd, group, 1000000, 2000000, 65536 },
	{ "a smaller range gives fewer ids; the gids above root's uid range too",
	  "0:1000000:1000\n", NULL, passwd, group, 1000000, 1048576, 1000 },
};

static void test_default_range(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(*ranges); i++) {
		struct idmap m = range_of(ranges[i].subuid, ranges[i].subgid, ranges[i].passwd, ranges[i].group);

		printf("# %s: %u %u %u\n", ranges[i].why, m.uid, m.gid, m.count);
		assert_int_equal(m.uid, ranges[i].uid);
		assert_int_equal(m.gid, ranges[i].gid);
		assert_int_equal(m.count, ranges[i].count);
	}
}

static void test_range_refused_when_full(void **state)
{
	const char *paths[USERNS_ID_FILES];
	struct ce_error err = { 0 };
	struct idmap m;

	(void)state;
	fixture_write("subuid", "x:4294900000:60000\n");
	for (int i = 0; i < USERNS_ID_FILES; i++)
		paths[i] = i ? "/nonexistent" : fixture_at("subuid");
	assert_int_equal(userns_default_range_from(paths, &m, &err), -1);
	assert_int_equal(err.code, ERANGE);
	unlink(fixture_at("subuid"));
}

static void test_resolve_file_settings(void **state)
{
	struct idmap def = { true, 262144, 262144, 65536 }, m;
	struct security sec = { .userns = -1 };

	(void)state;
	userns_resolve(&sec, &def, &m);
	assert_true(m.on);
	assert_int_equal(m.uid, 262144);
	sec = (struct security){ .userns = 1, .uid_base = 500000, .gid_base = 600000, .id_count = 1000 };
	userns_resolve(&sec, &def, &m);
	assert_int_equal(m.uid, 500000);
	assert_int_equal(m.gid, 600000);
	assert_int_equal(m.count, 1000);
	sec.userns = 0;
	userns_resolve(&sec, &def, &m);
	assert_false(m.on);
}

/* ---- the recorded profile (state/project_state.c) ---- */

static void test_profile_line_round_trip(void **state)
{
	struct profile pr = { .caps = 0xa80425fbULL, .seccomp = true, .userns = true, .uid = 262144, .gid = 262144,
			      .count = 65536 };
	_cleanup_free_ struct container_state *v = NULL;
	struct ce_error err = { 0 };
	char args[PROFILE_ARGS_MAX], journal[512];
	size_t n = 0;

	(void)state;
	profile_format(&pr, args);
	assert_string_equal(args, "caps=a80425fb seccomp=on userns=262144:262144:65536");
	/* profile lines come before the pid line; a bad one (and b's, with no profile) reads as none */
	snprintf(journal, sizeof(journal), "profile a %s\npid a 4242 1\nprofile b caps=zz seccomp=on userns=off\n"
		 "pid b 4243 1\npid c 4244 1\nprofile c caps=0 seccomp=off userns=off\n", args);
	fixture_write("p/journal", journal);
	assert_int_equal(project_state_load("p", &v, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_true(v[0].has_profile);
	assert_int_equal(v[0].profile.caps, pr.caps);
	assert_true(v[0].profile.seccomp && v[0].profile.userns);
	assert_int_equal(v[0].profile.uid, 262144);
	assert_int_equal(v[0].profile.gid, 262144);
	assert_int_equal(v[0].profile.count, 65536);
	assert_false(v[1].has_profile);
	assert_true(v[2].has_profile);
	assert_false(v[2].profile.seccomp);
	assert_false(v[2].profile.userns);
	assert_int_equal(v[2].profile.caps, 0);
	unlink(fixture_at("p/journal"));
}

static void test_ps_json_shows_the_range(void **state)
{
	struct ce_error err = { 0 };
	char buf[4096] = "";
	FILE *out = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	fixture_write("p/journal", "profile a caps=0 seccomp=on userns=262144:262145:65536\npid a 4242 1\n"
				"profile b caps=0 seccomp=on userns=off\npid b 4243 1\n");
	assert_non_null(out);
	assert_int_equal(runtime_ps_json("p", out, &err), 0);
	fclose(out);
	assert_non_null(strstr(buf, "\"userns\":{\"uid\":262144,\"gid\":262145,\"count\":65536}"));
	assert_non_null(strstr(buf, "\"userns\":null"));
	unlink(fixture_at("p/journal"));
}

/* ---- hostile files (parser/source.c, parser/index.c) ---- */

#define NET "networks = ( { name = \"lan\"; subnet = \"10.9.0.0/16\"; } );\n"

/* parser_load() of rel (in the temp dir) must fail with exactly want (%s: the temp dir). */
static void expect_refused(const char *rel, const char *want)
{
	struct ce_error err = { 0 };
	struct project *p = NULL;
	char msg[2048];
	time_t t0 = time(NULL);

	assert_int_equal(parser_load(fixture_at(rel), &p, &err), -1);
	assert_null(p);
	assert_true(time(NULL) - t0 < 5);	/* refused, not hung or slow */
	snprintf(msg, sizeof(msg), want, fixture_root(), fixture_root(), fixture_root());
	assert_string_equal(err.msg, msg);
	assert_null(strchr(err.msg, '\n'));
}

static void test_refuses_what_is_not_a_file(void **state)
{
	(void)state;
	assert_int_equal(mkfifo(fixture_at("fifo.conf"), 0600), 0);
	expect_refused("fifo.conf", "%s/fifo.conf: not a regular file");
	fixture_write("inc.conf", "name = \"x\";\n" NET "  @include \"fifo.conf\"\n");
	expect_refused("inc.conf", "%s/inc.conf:3: @include \"fifo.conf\": %s/fifo.conf: not a regular file");
	fixture_write("dev.conf", "@include \"/dev/zero\"\n");
	expect_refused("dev.conf", "%s/dev.conf:1: @include \"/dev/zero\": /dev/zero: not a regular file");
	fixture_write("self.conf", "x = 1;\n@include \"self.conf\"\n");
	expect_refused("self.conf", "%s/self.conf:2: @include \"self.conf\": nested more than 8 deep");
	/* an @include libconfig would see but this reader does not (not at the start of its line): libconfig
	 * opens nothing either */
	fixture_write("two.conf", "@include \"dev.conf\" @include \"fifo.conf\"\n");
	expect_refused("two.conf", "%s/dev.conf:1: @include \"/dev/zero\": /dev/zero: not a regular file");
	fixture_write("a.conf", "a = 1;\n");
	fixture_write("two.conf", "@include \"a.conf\" @include \"fifo.conf\"\n");
	expect_refused("two.conf", "%s/two.conf:1: cannot open include file (an @include starts its own line)");
	unlink(fixture_at("fifo.conf"));
}

static void test_includes_read_as_written(void **state)
{
	struct ce_error err = { 0 };
	struct project *p = NULL;

	(void)state;
	assert_int_equal(mkdir(fixture_at("sub"), 0755) == 0 || errno == EEXIST, 1);
	/* relative to the including file, not to the working directory; in comments and strings: text */
	fixture_write("sub/nets.conf", "# lan\n" NET);
	fixture_write("sub/c.conf", "{ name = \"b\"; ip = \"10.9.0.3\";\n  pids = 0; }\n");
	fixture_write("main.conf", "name = \"inc\";\n/* @include \"nothing.conf\" */\n  @include \"sub/nets.conf\"\n"
				"defaults = { rootfs = \"/\"; env = [ \"X=@include \\\"no.conf\\\"\" ]; };\n"
				"containers = ( { name = \"a\"; ip = \"10.9.0.2\"; },\n@include \"sub/c.conf\"\n);\n");
	expect_refused("main.conf", "%s/sub/c.conf:2: containers.[1].pids: must be greater than 0, got 0");
	fixture_write("sub/c.conf", "{ name = \"b\"; ip = \"10.9.0.3\"; }\n");
	fixture_write("main2.conf", "name = \"inc\";\n@include \"sub/nets.conf\"\n\ncontainers = ( { name = \"a\"; ip = \"10.9.0.2\"; } );\n"
				 "links = 5;\n");
	expect_refused("main2.conf", "%s/main2.conf:5: links: expected a list ( { a = ...; b = ...; a_ip = ...; b_ip = ...; }, ... )");
	assert_int_equal(parser_load(fixture_at("main.conf"), &p, &err), 0);
	assert_int_equal(p->n_containers, 2);
	assert_string_equal(p->containers[0].env[0], "X=@include \"no.conf\"");
	assert_int_equal(p->containers[1].line, 1);	/* the line in sub/c.conf */
	project_free(p);
}

static void test_caps_on_sizes(void **state)
{
	char *big = malloc(SOURCE_MAX + 2);
	FILE *f;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', SOURCE_MAX + 1);
	big[SOURCE_MAX + 1] = '\0';
	fixture_write("big.conf", big);
	expect_refused("big.conf", "%s/big.conf: too large (4194305 bytes, at most 4194304)");
	memcpy(big, "x = \"", 5);
	memset(big + 5, 'y', TOKEN_MAX);
	strcpy(big + 5 + TOKEN_MAX, "\";\n");
	fixture_write("str.conf", big);
	expect_refused("str.conf", "%s/str.conf:1: string: longer than 65536 bytes");
	big[0] = '#';
	fixture_write("str.conf", big);
	expect_refused("str.conf", "%s/str.conf:1: comment: longer than 65536 bytes");
	free(big);
	f = fopen(fixture_at("group.conf"), "w");
	assert_non_null(f);
	fputs("defaults = {\n", f);
	for (int i = 0; i <= GROUP_MAX; i++)
		fprintf(f, "k%d = 1;\n", i);
	fputs("};\n", f);
	fclose(f);
	expect_refused("group.conf", "%s/group.conf:130: group: more than 128 settings");
	fixture_write("nest.conf", "a = ((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))));\n");
	expect_refused("nest.conf", "%s/nest.conf:1: nesting: groups and lists more than 32 deep");
}

static void test_caps_on_totals(void **state)
{
	char text[4096];

	(void)state;
	fixture_write("many.conf", "name = \"m\";\n" NET "defaults = { rootfs = \"/\"; };\n"
				"containers = ( { name = \"a\"; count = 4096; ip = \"auto\"; }, { name = \"b\"; count = 4096; ip = \"auto\"; },\n"
				"  { name = \"c\"; count = 4096; ip = \"auto\"; } );\n");
	expect_refused("many.conf", "%s/many.conf:4: containers: more than 10000 containers (count copies included)");
	snprintf(text, sizeof(text), "name = \"e\";\n" NET "defaults = { rootfs = \"/\"; env = [ ");
	for (int i = 0; i < 100; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "\"K%d=%0*d\", ", i, 20, i);
	snprintf(text + strlen(text), sizeof(text) - strlen(text), "\"Z=1\" ]; };\n"
		 "containers = ( { name = \"a\"; count = 4096; ip = \"auto\"; }, { name = \"b\"; count = 4096; ip = \"auto\"; } );\n");
	fixture_write("amp.conf", text);
	/* 101 entries of about 70 bytes copied into 8192 containers: more than 32 MiB, refused as the budget runs out */
	{
		struct ce_error err = { 0 };
		struct project *p = NULL;

		assert_int_equal(parser_load(fixture_at("amp.conf"), &p, &err), -1);
		assert_non_null(strstr(err.msg, "amp.conf:3: defaults.env.["));
		assert_non_null(strstr(err.msg, "would hold more than 32 MiB in all (count and defaults copy them into each container)"));
	}
}

static void test_project_name_of_a_fifo(void **state)
{
	char name[64];
	struct ce_error err = { 0 };

	(void)state;
	assert_int_equal(mkfifo(fixture_at("hang.conf"), 0600), 0);
	assert_int_equal(parser_project_name(fixture_at("hang.conf"), name, sizeof(name), &err), 0);
	assert_string_equal(name, "hang");	/* from the file name: it is not read */
	fixture_write("named.conf", "name = \"other\";\n@include \"hang.conf\"\n");
	assert_int_equal(parser_project_name(fixture_at("named.conf"), name, sizeof(name), &err), 0);
	assert_string_equal(name, "named");
	unlink(fixture_at("hang.conf"));
}

static int setup(void **state)
{
	(void)state;
	return fixture_setup("profile");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_keeps_plain_and_utf8),
		cmocka_unit_test(test_text_escapes_controls),
		cmocka_unit_test(test_text_escapes_invalid_utf8),
		cmocka_unit_test(test_text_cut_between_escapes),
		cmocka_unit_test(test_error_wrap_untrusted),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_yaml),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_default_range),
		cmocka_unit_test(test_range_refused_when_full),
		cmocka_unit_test(test_resolve_file_settings),
		cmocka_unit_test(test_profile_line_round_trip),
		cmocka_unit_test(test_ps_json_shows_the_range),
		cmocka_unit_test(test_refuses_what_is_not_a_file),
		cmocka_unit_test(test_includes_read_as_written),
		cmocka_unit_test(test_caps_on_sizes),
		cmocka_unit_test(test_caps_on_totals),
		cmocka_unit_test(test_project_name_of_a_fifo),
	};

	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
