/* SPDX-License-Identifier: MIT */
/* json.c: every JSON document cengine prints, through jansson: strings from untrusted bytes, and the one printer. */
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/escape.h"

json_t *json_text(const char *s)
{
	_cleanup_free_ char *valid = NULL;

	if (!s)
		return json_null();
	valid = escape_utf8(s);
	return valid ? json_string(valid) : NULL;
}

int json_write(FILE *out, json_t *doc)
{
	_cleanup_free_ char *text = NULL;

	if (doc)
		text = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10));
	json_decref(doc);
	if (!text)
		return -1;
	/* jansson leaves DEL raw; outside strings a document has none, so each one is inside a string */
	for (char *p = text, *del; *p; p = del + 1) {
		del = p + strcspn(p, "\x7f");
		fwrite(p, 1, (size_t)(del - p), out);
		if (!*del)
			break;
		fputs("\\u007f", out);
	}
	return ferror(out) ? -1 : 0;
}

int json_print(FILE *out, json_t *doc)
{
	return json_write(out, doc) < 0 || fputc('\n', out) == EOF ? -1 : 0;
}
