/* SPDX-License-Identifier: MIT */
/* test_ops.c: unit tests for the operations keys (ready, ready_timeout, restart), JSON strings, exec -e, log tails. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "parser/parser.h"
#include "runtime/inside/execopts.h"
#include "util/json.h"
#include "runtime/verbs/verbs.h"

static char tmpdir[] = "/tmp/ce-test-ops-XXXXXX";

#define HEAD "networks = ( { name = \"lan\"; subnet = \"10.9.0.0/24\"; } );\n"

static int setup(void **state)
{
	(void)state;
	/* the log tails read <state>/p/c/log*: the state dir is ours */
	return mkdtemp(tmpdir) && chdir(tmpdir) == 0 && mkdir("root", 0755) == 0 && mkdir("p", 0700) == 0 &&
	       mkdir("p/c", 0700) == 0 && setenv("CENGINE_STATE_DIR", tmpdir, 1) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unlink("t.conf");
	unlink("p/c/log");
	unlink("p/c/log.1");
	unlink("p/c/log.2");
	rmdir("p/c");
	rmdir("p");
	rmdir("root");
	return chdir("/") == 0 && rmdir(tmpdir) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int load(const char *text, struct project **p, struct ce_error *err)
{
	write_file("t.conf", text);
	return parser_load("t.conf", p, err);
}

static void test_keys_defaults_and_values(void **state)
{
	struct project *p = NULL;
	struct ce_error err = { 0 };

	(void)state;
	if (load(HEAD "defaults = { rootfs = \"root\"; restart = \"on-failure\"; ready_timeout = 2.5; };\n"
		      "containers = ( { name = \"a\"; ip = \"10.9.0.2\"; ready = [ \"test\", \"-e\", \"/x\" ]; },\n"
		      "  { name = \"b\"; ip = \"10.9.0.3\"; restart = \"always\"; },\n"
		      "  { name = \"c\"; ip = \"10.9.0.4\"; restart = \"no\"; ready_timeout = 7; } );\n",
		 &p, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(p->containers[0].ready[0], "test");
	assert_string_equal(p->containers[0].ready[2], "/x");
	assert_null(p->containers[0].ready[3]);
	assert_true(p->containers[0].ready_timeout == 2.5);
	assert_int_equal(p->containers[0].restart, RESTART_ON_FAILURE);
	assert_int_equal(p->containers[1].restart, RESTART_ALWAYS);
	assert_null(p->containers[1].ready);
	assert_int_equal(p->containers[2].restart, RESTART_NO);
	assert_true(p->containers[2].ready_timeout == 7);
	project_free(p);
}

static void test_unset_is_no_restart(void **state)
{
	struct project *p = NULL;
	struct ce_error err = { 0 };

	(void)state;
	assert_int_equal(load(HEAD "containers = ( { name = \"a\"; rootfs = \"root\"; ip = \"10.9.0.2\"; } );\n", &p, &err), 0);
	assert_int_equal(p->containers[0].restart, RESTART_NO);
	assert_null(p->containers[0].ready);
	assert_true(p->containers[0].ready_timeout == 0);
	project_free(p);
}

static void expect(const char *body, const char *msg)
{
	char text[1024];
	struct project *p = NULL;
	struct ce_error err = { 0 };

	snprintf(text, sizeof(text), HEAD "containers = ( { name = \"a\"; rootfs = \"root\"; ip = \"10.9.0.2\"; %s } );\n",
		 body);
	assert_int_equal(load(text, &p, &err), -1);
	assert_string_equal(err.msg, msg);
}

static void test_errors(void **state)
{
	(void)state;
	expect("ready = \"true\";", "t.conf:2: containers.[0].ready: expected a list of strings [ \"...\", ... ]");
	expect("ready = [ ];", "t.conf:2: containers.[0].ready: must not be empty");
	expect("ready = [ \"\" ];", "t.conf:2: containers.[0].ready.[0]: must not be empty");
	expect("ready_timeout = -1;",
	       "t.conf:2: containers.[0].ready_timeout: must be more than 0 and at most 3600 seconds, got -1");
	expect("ready_timeout = 3601;",
	       "t.conf:2: containers.[0].ready_timeout: must be more than 0 and at most 3600 seconds, got 3601");
	expect("restart = \"On-Failure\";",
	       "t.conf:2: containers.[0].restart: \"On-Failure\" is not one of \"no\", \"on-failure\", \"always\"");
	expect("restart = 1;", "t.conf:2: containers.[0].restart: expected a string");
}

static void test_json_str(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(json_print(f, json_pack("[o,o]", json_text("a\"b\\c\nd\te\x01"), json_text(NULL))), 0);
	fclose(f);
	assert_string_equal(buf, "[\"a\\\"b\\\\c\\nd\\te\\u0001\",null]\n");
	free(buf);
}

static void test_exec_environ(void **state)
{
	char *envp[] = { "PATH=/bin", "HOME=/root", NULL };
	char *extra[] = { "HOME=/tmp", "FOO=bar", "FOO=baz", NULL };
	char **v = exec_environ(envp, extra);

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "PATH=/bin");
	assert_string_equal(v[1], "HOME=/tmp");
	assert_string_equal(v[2], "FOO=baz");
	assert_null(v[3]);
	free(v);
}

static char *tail(long n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	logs_tail("p", "c", n, "> ", f);
	fclose(f);
	return buf;
}

static void test_log_tail(void **state)
{
	char *s;

	(void)state;
	write_file("p/c/log", "one\ntwo\nthree\n");
	s = tail(2), assert_string_equal(s, "> two\n> three\n"), free(s);
	s = tail(-1), assert_string_equal(s, "> one\n> two\n> three\n"), free(s);
	s = tail(10), assert_string_equal(s, "> one\n> two\n> three\n"), free(s);
	s = tail(0), assert_string_equal(s, ""), free(s);
	write_file("p/c/log", "one\ntwo");	/* no newline at the end: "two" is the last line */
	s = tail(1), assert_string_equal(s, "> two\n"), free(s);
}

/* The rotated files come first, oldest first, as one stream: lines split by a rotation are whole. */
static void test_log_tail_rotated(void **state)
{
	char *s;

	(void)state;
	write_file("p/c/log.2", "a\nb\n");
	write_file("p/c/log.1", "c\nd");
	write_file("p/c/log", "e\nf\n");
	s = tail(-1), assert_string_equal(s, "> a\n> b\n> c\n> de\n> f\n"), free(s);
	s = tail(2), assert_string_equal(s, "> de\n> f\n"), free(s);
	s = tail(4), assert_string_equal(s, "> b\n> c\n> de\n> f\n"), free(s);
	s = tail(0), assert_string_equal(s, ""), free(s);
	write_file("p/c/log", "");	/* just rotated: the stream ends with log.1 */
	write_file("p/c/log.1", "c\nd\n");
	s = tail(1), assert_string_equal(s, "> d\n"), free(s);
	s = tail(3), assert_string_equal(s, "> b\n> c\n> d\n"), free(s);
	unlink("p/c/log.1");	/* a gap: log.2 is no longer part of the set */
	write_file("p/c/log", "x\n");
	s = tail(-1), assert_string_equal(s, "> x\n"), free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_defaults_and_values),
		cmocka_unit_test(test_unset_is_no_restart),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_exec_environ),
		cmocka_unit_test(test_log_tail),
		cmocka_unit_test(test_log_tail_rotated),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
