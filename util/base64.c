/* SPDX-License-Identifier: MIT */
/* base64.c: standard base64 (RFC 4648 section 4, padded) for bytes that text cannot hold (a ConfigMap's binaryData). */
#include "util/base64.h"

#include <stdint.h>

void base64_write(FILE *f, const void *s, size_t len)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *b = s;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)b[i] << 16 | (i + 1 < len ? (uint32_t)b[i + 1] << 8 : 0) | (i + 2 < len ? b[i + 2] : 0);

		fputc(abc[v >> 18 & 63], f);
		fputc(abc[v >> 12 & 63], f);
		fputc(i + 1 < len ? abc[v >> 6 & 63] : '=', f);
		fputc(i + 2 < len ? abc[v & 63] : '=', f);
	}
}
