/* SPDX-License-Identifier: MIT */
/* timing.h: phase timings on stderr when CENGINE_DEBUG_TIMING is set (for bench/ and profiling). */
#pragma once

/* Print "cengine: timing: <phase> <ms since the previous mark> ms" when enabled. */
void timing_mark(const char *phase);
