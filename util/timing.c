/* SPDX-License-Identifier: MIT */
/* timing.c: phase timings on stderr when CENGINE_DEBUG_TIMING is set (for bench/ and profiling). */
#include "util/timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void timing_mark(const char *phase)
{
	static int enabled = -1;
	static double last;
	double t;

	if (enabled < 0) {
		enabled = getenv("CENGINE_DEBUG_TIMING") != NULL;
		last = now_ms();
	}
	if (!enabled)
		return;
	t = now_ms();
	fprintf(stderr, "cengine: timing: %-24s %8.2f ms\n", phase, t - last);
	last = t;
}
