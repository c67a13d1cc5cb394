/* SPDX-License-Identifier: MIT */
/* fixture.c: the unit tests' shared fixture: a temporary CENGINE_STATE_DIR, its files, output caught in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tests/unit/fixture.h"
#include "util/fs.h"

static char root[64];
static char path[FIXTURE_PATH_MAX];

int fixture_setup(const char *name)
{
	snprintf(root, sizeof(root), "/tmp/ce-test-%s-XXXXXX", name);
	if (!mkdtemp(root) || setenv("CENGINE_STATE_DIR", root, 1) < 0)
		return -1;
	return mkdir(fixture_at("p"), 0700);
}

int fixture_teardown(void **state)
{
	(void)state;
	return fs_remove_tree(root);
}

const char *fixture_root(void)
{
	return root;
}

const char *fixture_at(const char *rel)
{
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return path;
}

void fixture_write(const char *rel, const char *text)
{
	FILE *f = fopen(fixture_at(rel), "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

void fixture_out_open(struct fixture_out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
}

void fixture_out_close(struct fixture_out *o)
{
	assert_int_equal(fclose(o->f), 0);
	o->f = NULL;
}
