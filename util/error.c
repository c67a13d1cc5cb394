/* SPDX-License-Identifier: MIT */
/* error.c: formatting and wrapping of struct ce_error. */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

#include "util/escape.h"

int ce_error_set(struct ce_error *err, int errno_value, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err)
		return -1;
	err->code = errno_value ? errno_value : -1;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (errno_value > 0 && n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errno_value));
	return -1;
}

__attribute__((format(printf, 2, 0)))
static int vwrap(struct ce_error *err, const char *fmt, va_list ap)
{
	char prefix[CE_ERROR_MAX / 2], old[CE_ERROR_MAX];

	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	memcpy(old, err->msg, sizeof(old));
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old) < 0)
		err->msg[0] = '\0';
	if (!err->code)
		err->code = -1;
	return -1;
}

int ce_error_wrap(struct ce_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vwrap(err, fmt, ap);
	va_end(ap);
	return -1;
}

int ce_error_wrap_untrusted(struct ce_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	escape_text_inplace(err->msg, sizeof(err->msg));
	va_start(ap, fmt);
	vwrap(err, fmt, ap);
	va_end(ap);
	return -1;
}

void ce_error_clear(struct ce_error *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
