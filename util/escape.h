/* SPDX-License-Identifier: MIT */
/* escape.h: text from inside a container, an archive or a file made safe to print: on a terminal, and in JSON. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * What a container, an archive or a hostile file chose must not drive the terminal it is
 * printed on (ESC sequences, newlines that fake a second line, C1 controls such as CSI
 * U+009B) nor break a JSON reader (bytes that are not UTF-8). Two forms, one decoder:
 *
 *   terminal: printable ASCII and valid UTF-8 stay as they are; a C0 control (newline, ESC,
 *             ...), DEL, each byte of a C1 control (U+0080..U+009F) and each byte that is
 *             not part of valid UTF-8 become the four characters \xNN. A backslash stays a
 *             backslash: escaping twice changes nothing (the form is for reading, not for
 *             parsing back).
 *   JSON:     a string literal: '"' and '\' escaped, C0, DEL and C1 controls as \u00XX
 *             (the same code points, so a valid string keeps its value), U+2028 and U+2029
 *             as \u2028 and \u2029, and each byte that is not part of valid UTF-8 as
 *             \ufffd (U+FFFD, the replacement character, as Go's encoding/json does).
 */

/* s in the terminal form into out[len] (len > 0), cut only between whole characters and
 * escapes; always NUL-terminated. Returns out. */
char *escape_text(const char *s, char *out, size_t len);
/* The terminal form of s in place; s is a buffer of len bytes (what does not fit is cut). */
void escape_text_inplace(char *s, size_t len);
/* s as a JSON string literal on f; NULL as null. */
void escape_json(FILE *f, const char *s);
/* s as a YAML double-quoted scalar on f (YAML 1.1 and 1.2 read it as s): the JSON form, with
 * U+FEFF, U+FFFE and U+FFFF escaped too (YAML does not hold them unescaped); NULL as "". */
void escape_yaml(FILE *f, const char *s);
/* Are the len bytes at s valid UTF-8 without a NUL (text that escape_yaml keeps as it is)? */
bool escape_utf8_valid(const char *s, size_t len);
