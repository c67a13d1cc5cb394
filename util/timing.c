/* SPDX-License-Identifier: MIT */
/* timing.c: phase timings on stderr when CENGINE_DEBUG_TIMING is set (for bench/ and profiling). */
#include "util/timing.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/clock.h"

void timing_mark(const char *phase)
{
	static int enabled = -1;
	static double last;
	double t;

	if (enabled < 0) {
		enabled = getenv("CENGINE_DEBUG_TIMING") != NULL;
		last = clock_mono_us() / 1e3;
	}
	if (!enabled)
		return;
	t = clock_mono_us() / 1e3;
	fprintf(stderr, "cengine: timing: %-24s %8.2f ms\n", phase, t - last);
	last = t;
}
