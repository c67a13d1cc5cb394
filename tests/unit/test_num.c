/* SPDX-License-Identifier: MIT */
/* test_num.c: unit tests for util/num.h: a number is all of the text, in range, without overflow. */
#include <float.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/num.h"

static void test_long(void **state)
{
	struct ce_error err = { 0 };
	long v = 7;

	(void)state;
	assert_int_equal(num_parse_long("42", 0, 100, "a number of lines", &v, &err), 0);
	assert_int_equal(v, 42);
	assert_int_equal(num_parse_long("+5", 0, 100, "x", &v, &err), 0);
	assert_int_equal(v, 5);
	assert_int_equal(num_parse_long("-0", 0, 100, "x", &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_parse_long("9223372036854775807", 0, LONG_MAX, "x", &v, &err), 0);
	assert_true(v == LONG_MAX);
	v = 7;
	for (const char **s = (const char *[]){ "", " 1", "1 ", "1x", "x", "0x10", "1.5", "1e3", "--1", "+", "-", NULL };
	     *s; s++) {
		assert_int_equal(num_parse_long(*s, 0, 100, "a number of lines", &v, &err), -1);
		assert_int_equal(v, 7);	/* unchanged */
	}
	assert_int_equal(num_parse_long("1x", 0, 100, "a number of lines", &v, &err), -1);
	assert_string_equal(err.msg, "'1x' is not a number of lines");
	assert_int_equal(num_parse_long("-1", 0, 100, "a number of lines", &v, &err), -1);
	assert_string_equal(err.msg, "'-1' is not a number of lines from 0 to 100");
	assert_int_equal(num_parse_long("9223372036854775808", 0, LONG_MAX, "n", &v, &err), -1);
	assert_string_equal(err.msg, "'9223372036854775808' is not n from 0 to 9223372036854775807");
	assert_int_equal(num_parse_long("-99999999999999999999", LONG_MIN, LONG_MAX, "n", &v, &err), -1);
	assert_string_equal(err.msg, "'-99999999999999999999' is out of range for n");
	assert_int_equal(v, 7);
}

static void test_double(void **state)
{
	struct ce_error err = { 0 };
	double v = 7;

	(void)state;
	assert_int_equal(num_parse_double("0.5", 0, 10, "a number of seconds", &v, &err), 0);
	assert_true(v == 0.5);
	for (const char **s = (const char *[]){ "2", "2.", ".5", "1e1", "+1E0", "10", "0", NULL }; *s; s++)
		assert_int_equal(num_parse_double(*s, 0, 10, "x", &v, &err), 0);
	assert_int_equal(num_parse_double("1e-400", 0, 10, "x", &v, &err), 0);	/* underflow: about 0 */
	assert_true(v >= 0 && v < 1e-300);
	v = 7;
	for (const char **s = (const char *[]){ "", " 1", "1 ", "abc", "1s", "nan", "inf", "-inf", "0x10", "0x1p3", ".",
						 "e1", "1e", "1..2", NULL };
	     *s; s++) {
		assert_int_equal(num_parse_double(*s, 0, 10, "a number of seconds", &v, &err), -1);
		assert_true(v == 7);
	}
	assert_int_equal(num_parse_double("abc", 0, 10, "a number of seconds", &v, &err), -1);
	assert_string_equal(err.msg, "'abc' is not a number of seconds");
	assert_int_equal(num_parse_double("10.5", 0, 10, "a number of seconds", &v, &err), -1);
	assert_string_equal(err.msg, "'10.5' is not a number of seconds from 0 to 10");
	assert_int_equal(num_parse_double("1e999", 0, 10, "s", &v, &err), -1);
	assert_string_equal(err.msg, "'1e999' is not s from 0 to 10");
	assert_int_equal(num_parse_double("-1e999", -DBL_MAX, DBL_MAX, "a number of CPUs", &v, &err), -1);
	assert_string_equal(err.msg, "'-1e999' is out of range for a number of CPUs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_double),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
