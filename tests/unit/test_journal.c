/* SPDX-License-Identifier: MIT */
/* test_journal.c: unit tests for the typed journal, its undo table, state paths, and down and ps on odd journals. */
#include <errno.h>
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

#include "runtime/verbs/undo.h"
#include "runtime/verbs/verbs.h"
#include "state/journal.h"
#include "state/project_state.h"
#include "state/paths.h"
#include "tests/unit/fixture.h"
#include "util/cleanup.h"

static int setup(void **state)
{
	(void)state;
	return fixture_setup("journal");
}

static void test_kinds_round_trip(void **state)
{
	(void)state;
	for (int k = JOURNAL_UNKNOWN + 1; k < JOURNAL_KINDS; k++) {
		const char *word = journal_kind_name((enum journal_kind)k);

		assert_string_not_equal(word, "unknown");
		assert_int_equal(journal_kind_parse(word, JOURNAL_MAX_ARGS), k);
	}
	assert_int_equal(journal_kind_parse("frob", 1), JOURNAL_UNKNOWN);
	assert_int_equal(journal_kind_parse("pid", 2), JOURNAL_UNKNOWN);	/* pid needs 3 */
	assert_int_equal(journal_kind_parse("pid", 3), J_PID);
	assert_string_equal(journal_kind_name(JOURNAL_KINDS), "unknown");
}

/* A kind added without its row in undo.c would read as UNDO_MISSING. */
static void test_every_kind_has_an_undo_row(void **state)
{
	(void)state;
	for (int k = 0; k < JOURNAL_KINDS; k++) {
		const struct undo_row *r = undo_row((enum journal_kind)k);

		assert_int_not_equal(r->when, UNDO_MISSING);
		assert_true((r->when == UNDO_NOTHING) == (r->undo == NULL));
	}
	assert_int_equal(undo_row(JOURNAL_KINDS)->when, UNDO_MISSING);
	assert_int_equal(undo_row(J_PID)->when, UNDO_STOP);
	assert_int_equal(undo_row(J_VETH)->when, UNDO_LINK);
	assert_int_equal(undo_row(J_DIR)->when, UNDO_EACH);
}

/* Lines exactly as the previous (string-kinded) version wrote them. */
static const char old_journal[] = "net lan ctp1 10.1.2.0/24 10.1.2.1\n"
				  "bridge ctp1\n"
				  "cgroup cengine/p\n"
				  "dir /run/cengine/p/a\n"
				  "cgroup cengine/p/a\n"
				  "pid a 4242 123456\n"
				  "veth cep1a0\n"
				  "addr a eth0 10.1.2.2/24\n"
				  "link a eth1 b eth1\n"
				  "forward p\n"
				  "nat p\n"
				  "up 1\n";

static void test_reads_the_previous_format(void **state)
{
	static const enum journal_kind want[] = { J_NET, J_BRIDGE, J_CGROUP, J_DIR, J_CGROUP, J_PID,
						   J_VETH, J_ADDR, J_LINK, J_FORWARD, J_NAT, J_UP };
	_cleanup_free_ struct journal_entry *e = NULL;
	struct ce_error err = { 0 };
	size_t n = 0;

	(void)state;
	fixture_write("p/journal", old_journal);
	assert_int_equal(journal_read("p", &e, &n, &err), 0);
	assert_int_equal(n, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(e[i].kind, want[i]);
		assert_int_equal(e[i].line, i + 1);
	}
	assert_int_equal(e[5].n_args, 3);
	assert_string_equal(e[5].args[0], "a");
	assert_string_equal(e[5].args[1], "4242");
	assert_string_equal(e[5].args[2], "123456");
	assert_string_equal(e[0].args[3], "10.1.2.1");
}

static void test_unknown_and_torn_lines(void **state)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	struct ce_error err = { 0 };
	char text[128];
	size_t n = 0;

	(void)state;
	fixture_write("p/journal", "bridge ctp1\n\nfrob x y\npid a 12\ndir /run/cengine/p/a\ndir /");
	assert_int_equal(journal_read("p", &e, &n, &err), 0);
	assert_int_equal(n, 4);	/* the blank line and the torn last one are left out */
	assert_int_equal(e[0].kind, J_BRIDGE);
	assert_int_equal(e[1].kind, JOURNAL_UNKNOWN);
	assert_string_equal(e[1].word, "frob");
	assert_int_equal(e[1].line, 3);
	journal_entry_text(&e[1], text, sizeof(text));
	assert_string_equal(text, "frob x y");
	assert_int_equal(e[2].kind, JOURNAL_UNKNOWN);	/* a pid line without its start time */
	assert_int_equal(e[3].kind, J_DIR);
	assert_string_equal(e[3].args[0], "/run/cengine/p/a");
}

static void test_add_writes_the_word(void **state)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	struct journal j = { .fd = -1 };
	struct ce_error err = { 0 };
	size_t n = 0;

	(void)state;
	assert_int_equal(journal_create("q", &j, &err), 0);
	assert_int_equal(journal_add(&j, &err, J_PID, "%s %d %llu", "a", 7, 99ULL), 0);
	assert_int_equal(journal_add(&j, &err, JOURNAL_UNKNOWN, "%s", "x"), -1);
	journal_close(&j);
	assert_int_equal(journal_read("q", &e, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].kind, J_PID);
	assert_string_equal(e[0].word, "pid");
	assert_string_equal(e[0].args[2], "99");
	assert_int_equal(journal_remove("q", &err), 0);
}

static void test_container_paths(void **state)
{
	char buf[STATE_PATH_MAX], small[8];

	(void)state;
	assert_int_equal(state_container_path("p", "a", STATE_FILE_LOG, buf, sizeof(buf)), 0);
	assert_string_equal(buf, fixture_at("p/a/log"));
	assert_int_equal(state_container_dir("p", "a", buf, sizeof(buf)), 0);
	assert_string_equal(buf, fixture_at("p/a"));
	assert_int_equal(state_container_path("p", "a", STATE_FILE_EXIT, small, sizeof(small)), -1);
	assert_string_equal(small, "");	/* never a truncated path */
}

/* down undoes what it can read, says which line it cannot, and keeps the journal for a cengine that can. */
static void test_down_keeps_a_journal_with_an_unknown_line(void **state)
{
	struct ce_error err = { 0 };
	char text[FIXTURE_PATH_MAX + 64];
	struct stat st;

	(void)state;
	assert_int_equal(mkdir(fixture_at("p/a"), 0700), 0);
	snprintf(text, sizeof(text), "dir %s\nfrob something new\n", fixture_at("p/a"));
	fixture_write("p/journal", text);
	assert_int_equal(runtime_teardown("p", 0, &err), -1);
	assert_non_null(strstr(err.msg, "journal line 2 `frob something new`: unknown kind"));
	assert_int_equal(stat(fixture_at("p/a"), &st), -1);	/* what it knows is undone */
	assert_int_equal(stat(fixture_at("p/journal"), &st), 0);	/* the journal stays */

	/* the same journal without that line: down succeeds and removes the state dir */
	snprintf(text, sizeof(text), "dir %s\n", fixture_at("p/a"));
	fixture_write("p/journal", text);
	assert_int_equal(runtime_teardown("p", 0, &err), 0);
	assert_int_equal(stat(fixture_at("p"), &st), -1);
	assert_int_equal(mkdir(fixture_at("p"), 0700), 0);
}

/* A journal line naming another project's objects (a corrupted or forged journal): down leaves
 * them alone, says which line, keeps the journal; its own objects go. */
static void test_down_leaves_what_is_not_the_projects(void **state)
{
	struct ce_error err = { 0 };
	char text[4 * FIXTURE_PATH_MAX + 256];
	struct stat st;
	int n;

	(void)state;
	assert_int_equal(mkdir(fixture_at("q"), 0700), 0);
	assert_int_equal(mkdir(fixture_at("q/a"), 0700), 0);
	assert_int_equal(mkdir(fixture_at("p/a"), 0700), 0);
	n = snprintf(text, sizeof(text), "dir %s\ndir ", fixture_at("q/a"));
	n += snprintf(text + n, sizeof(text) - (size_t)n, "%s\ndir ", fixture_at("p/../q"));
	n += snprintf(text + n, sizeof(text) - (size_t)n, "%s\ndir ", fixture_at("p"));
	n += snprintf(text + n, sizeof(text) - (size_t)n, "%s\n", fixture_at("p/a"));
	snprintf(text + n, sizeof(text) - (size_t)n, "cgroup cengine/q\ncgroup cengine/p/../q\nnat q\nforward q\n"
		 "pid a %d %llu\n", (int)getpid(), proc_starttime(getpid()));
	fixture_write("p/journal", text);
	assert_int_equal(runtime_teardown("p", 0, &err), -1);	/* and this process, listed, is not killed */
	printf("# %s\n", err.msg);
	assert_int_equal(err.code, EPERM);
	assert_non_null(strstr(err.msg, "is not this project's: left alone"));
	assert_int_equal(stat(fixture_at("q/a"), &st), 0);
	assert_int_equal(stat(fixture_at("p/a"), &st), -1);	/* its own dir went */
	assert_int_equal(stat(fixture_at("p/journal"), &st), 0);
	assert_int_equal(rmdir(fixture_at("q/a")), 0);
	assert_int_equal(rmdir(fixture_at("q")), 0);
	unlink(fixture_at("p/journal"));
}

static void test_ps_reports_an_unreadable_journal(void **state)
{
	struct ce_error err = { 0 };
	struct fixture_out out;

	(void)state;
	assert_int_equal(symlink("journal", fixture_at("p/journal")), 0);	/* a loop: open fails with ELOOP */
	fixture_out_open(&out);
	assert_int_equal(runtime_ps("p", out.f, &err), -1);
	assert_int_equal(err.code, ELOOP);
	assert_int_equal(runtime_ps_json("p", out.f, &err), -1);
	fixture_out_close(&out);
	assert_int_equal(out.len, 0);	/* nothing printed: one error instead */
	free(out.buf);
	unlink(fixture_at("p/journal"));
}

static void test_ps_json_of_a_journal(void **state)
{
	struct ce_error err = { 0 };
	struct fixture_out out;

	(void)state;
	fixture_out_open(&out);
	assert_int_equal(mkdir(fixture_at("p/a"), 0700), 0);
	fixture_write("p/a/exit", "3 2\n");
	/* no process 0: the container reads as exited, with the code and restarts of its exit file */
	fixture_write("p/journal", "net lan ctp1 10.1.2.0/24 -\nnet6 lan fd00:5::/64\nnet w ctp2 10.1.3.0/24 10.1.3.1\n"
		      "pid a 0 1\naddr a eth0 10.1.2.2/24\nfrob x\n");
	assert_int_equal(runtime_ps_json("p", out.f, &err), 0);
	fixture_out_close(&out);
	assert_non_null(strstr(out.buf, "\"networks\":[{\"name\":\"lan\",\"bridge\":\"ctp1\",\"subnet\":\"10.1.2.0/24\","
				    "\"gateway\":null,\"subnet6\":\"fd00:5::/64\"},{\"name\":\"w\",\"bridge\":\"ctp2\","
				    "\"subnet\":\"10.1.3.0/24\",\"gateway\":\"10.1.3.1\",\"subnet6\":null}]"));
	assert_non_null(strstr(out.buf, "\"name\":\"a\""));
	assert_non_null(strstr(out.buf, "\"addresses\":[\"10.1.2.2/24\"]"));
	assert_non_null(strstr(out.buf, "\"exit_code\":3,\"restarts\":2"));
	free(out.buf);
	unlink(fixture_at("p/a/exit"));
}

/* exec into a container whose up has not yet written `started`: refused, its root may not be set up */
static void test_exec_waits_for_started(void **state)
{
	struct container c = { .name = "a" };
	struct project p = { .file = "p.conf", .name = "p", .containers = &c, .n_containers = 1 };
	char *argv[] = { "true", NULL };
	struct ce_error err = { 0 };
	_cleanup_free_ struct container_state *v = NULL;
	size_t n = 0;
	char line[192];

	(void)state;
	snprintf(line, sizeof(line), "profile a caps=0 seccomp=on userns=off\npid a %d %llu\n", (int)getpid(),
		 proc_starttime(getpid()));
	fixture_write("p/journal", line);
	assert_int_equal(project_state_load("p", &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_true(v[0].running);
	assert_false(v[0].started);
	assert_int_equal(runtime_exec(&p, "a", argv, NULL, &err), -1);
	assert_int_equal(err.code, EAGAIN);
	assert_non_null(strstr(err.msg, "container a is still starting"));
	free(v);
	v = NULL;
	strncat(line, "started \n", sizeof(line) - strlen(line) - 1);
	fixture_write("p/journal", line);
	assert_int_equal(project_state_load("p", &v, &n, &err), 0);
	assert_true(v[0].started);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_round_trip),
		cmocka_unit_test(test_every_kind_has_an_undo_row),
		cmocka_unit_test(test_reads_the_previous_format),
		cmocka_unit_test(test_unknown_and_torn_lines),
		cmocka_unit_test(test_add_writes_the_word),
		cmocka_unit_test(test_container_paths),
		cmocka_unit_test(test_down_keeps_a_journal_with_an_unknown_line),
		cmocka_unit_test(test_down_leaves_what_is_not_the_projects),
		cmocka_unit_test(test_ps_reports_an_unreadable_journal),
		cmocka_unit_test(test_ps_json_of_a_journal),
		cmocka_unit_test(test_exec_waits_for_started),
	};

	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
