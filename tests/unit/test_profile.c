/* SPDX-License-Identifier: MIT */
/* test_profile.c: unit tests for the security profile class: escaping untrusted text, the user namespace range, the recorded profile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/error.h"
#include "util/escape.h"

/* ---- util/escape ---- */

static const char *text(const char *s)
{
	static char out[256];

	return escape_text(s, out, sizeof(out));
}

static const char *json(const char *s)
{
	static char out[256];
	FILE *f = fmemopen(out, sizeof(out), "w");

	assert_non_null(f);
	escape_json(f, s);
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
	assert_string_equal(json("a\"b\\c\nd\x1b"), "\"a\\\"b\\\\c\\nd\\u001b\"");
	assert_string_equal(json("\x7f\xc2\x9b"), "\"\\u007f\\u009b\"");
	assert_string_equal(json("\xe2\x80\xa8"), "\"\\u2028\"");
	assert_string_equal(json("h\xff\xfe" "st"), "\"h\\ufffd\\ufffdst\"");
	assert_string_equal(json("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
