/* SPDX-License-Identifier: MIT */
/* progress.c: progress lines of `up` for a person at a terminal; silent for scripts. */
#include "runtime/present/progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int state = -1;	/* -1: not decided yet (follows isatty(1)) */

bool progress_enabled(void)
{
	if (state < 0)
		state = isatty(STDOUT_FILENO);
	return state;
}

void progress_set(bool on)
{
	state = on && isatty(STDOUT_FILENO);
}

void progress_line(const char *fmt, ...)
{
	va_list ap;

	if (!progress_enabled())
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}
