/* SPDX-License-Identifier: MIT */
/* json.h: every JSON document cengine prints, through jansson: strings from untrusted bytes, and the one printer. */
#pragma once

#include <jansson.h>
#include <stdio.h>

/* s as a JSON string (NULL -> null). Bytes that are not valid UTF-8 become U+FFFD (as Go's encoding/json
 * does): a hostname or command line that a container chose always gives a valid document. */
json_t *json_text(const char *s);
/* doc (a reference taken) on out as one line: compact, ASCII only (every other character as \uXXXX, so no
 * C1 control, U+2028 or bidi override reaches a terminal raw; DEL too, as \u007f), then a newline.
 * 0, or -1 when doc is NULL (out of memory) or cannot be written. */
int json_print(FILE *out, json_t *doc);
/* The same without the newline (a document inside other text, e.g. a YAML value). */
int json_write(FILE *out, json_t *doc);
