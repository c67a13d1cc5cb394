/* SPDX-License-Identifier: MIT */
/* error.h: one error value that carries errno and a context message up the call chain. */
#pragma once

#include <stdarg.h>

#define CE_ERROR_MAX 512

struct ce_error {
	int code;		/* errno-like value, 0 = no error */
	char msg[CE_ERROR_MAX];	/* human readable, one line, no trailing newline */
};

/* Set err (if not NULL) to errno_value and the formatted message; when
 * errno_value is non-zero ": strerror" is appended. Returns -1 always, so
 * callers can write `return ce_error_set(err, errno, "open %s", p);`. */
int ce_error_set(struct ce_error *err, int errno_value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the message already in err with more context: "ctx: old". Returns -1. */
int ce_error_wrap(struct ce_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* As ce_error_wrap, after putting the message already in err into the terminal form of
 * util/escape.h: for a message that quotes what an archive or a container chose. Returns -1. */
int ce_error_wrap_untrusted(struct ce_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void ce_error_clear(struct ce_error *err);
