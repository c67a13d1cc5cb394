/* SPDX-License-Identifier: MIT */
/* num.c: strtol/strtod with an end pointer, errno and a range: a number is all of the text or an error. */
#include "util/num.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* strto* took all of s (ending at end), and s is written only with allowed, what a decimal number
 * is written with: strto* would also skip leading spaces and take "0x1p3", "inf" or "nan". */
static bool whole(const char *s, const char *end, const char *allowed)
{
	return *s && strspn(s, allowed) == strlen(s) && end != s && !*end;
}

int num_parse_long(const char *s, long min, long max, const char *what, long *out, struct ce_error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!whole(s, end, "+-0123456789"))
		return ce_error_set(err, 0, "'%s' is not %s", s, what);
	if (errno == ERANGE && min == LONG_MIN && max == LONG_MAX)	/* any long was fine: say why not */
		return ce_error_set(err, 0, "'%s' is out of range for %s", s, what);
	if (errno == ERANGE || v < min || v > max)
		return ce_error_set(err, 0, "'%s' is not %s from %ld to %ld", s, what, min, max);
	*out = v;
	return 0;
}

int num_parse_double(const char *s, double min, double max, const char *what, double *out, struct ce_error *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!whole(s, end, "+-.0123456789eE"))
		return ce_error_set(err, 0, "'%s' is not %s", s, what);
	/* an overflow is ±HUGE_VAL (inf); an underflow (also ERANGE) is a tiny number, taken as it is */
	if (isinf(v) && min == -DBL_MAX && max == DBL_MAX)
		return ce_error_set(err, 0, "'%s' is out of range for %s", s, what);
	if (!isfinite(v) || v < min || v > max)
		return ce_error_set(err, 0, "'%s' is not %s from %g to %g", s, what, min, max);
	*out = v;
	return 0;
}
