/* SPDX-License-Identifier: MIT */
/* num.h: checked parsing of decimal numbers from text (command-line values): all of it, in range, no overflow. */
#pragma once

#include "util/error.h"

/* Parse all of s as a decimal integer (optional sign, no spaces) from min to max into *out.
 * 0, or -1 with err set to "'s' is not WHAT" (not a number) or "'s' is not WHAT from MIN to MAX"
 * (out of range, overflow included; "'s' is out of range for WHAT" when any long would do, min = LONG_MIN
 * and max = LONG_MAX); what is e.g. "a number of lines". *out is unchanged on error. */
int num_parse_long(const char *s, long min, long max, const char *what, long *out, struct ce_error *err);

/* The same for a finite decimal number such as "0.5", "2" or "1e3" (no hex, inf or nan); any
 * number: min = -DBL_MAX, max = DBL_MAX. */
int num_parse_double(const char *s, double min, double max, const char *what, double *out, struct ce_error *err);
