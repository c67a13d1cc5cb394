/* SPDX-License-Identifier: MIT */
/* progress.h: progress lines of `up` for a person at a terminal; silent for scripts. */
#pragma once

#include <stdbool.h>

/* One line per container on a terminal (stdout is a tty and not
 * --quiet/--json); nothing otherwise. */
bool progress_enabled(void);
void progress_set(bool on);
void progress_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
