/* SPDX-License-Identifier: MIT */
/* fixture.h: what the unit tests share: a temporary state dir (CENGINE_STATE_DIR) with files in it, and output caught in memory. */
#pragma once

#include <stddef.h>
#include <stdio.h>

/* A cmocka group setup: makes /tmp/ce-test-NAME-XXXXXX, the state dir from now on, with an empty
 * project dir "p" in it. 0, or -1. */
int fixture_setup(const char *name);
/* The group teardown: removes the state dir and all that is in it. 0, or -1. */
int fixture_teardown(void **state);

/* The state dir. */
const char *fixture_root(void);

#define FIXTURE_PATH_MAX 1024

/* The state dir's path rel (in a static buffer of FIXTURE_PATH_MAX: one at a time). */
const char *fixture_at(const char *rel);
/* Writes text to the state dir's file rel; fails the test where it cannot. */
void fixture_write(const char *rel, const char *text);

/* Output caught in memory: fixture_out_open, print to f, fixture_out_close; buf (NUL-terminated) and
 * len then hold what was printed; free buf. */
struct fixture_out {
	FILE *f;
	char *buf;
	size_t len;
};

void fixture_out_open(struct fixture_out *o);
void fixture_out_close(struct fixture_out *o);
