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
 *   UTF-8:    for a JSON string (util/json.c gives it to jansson, which escapes
 *             the controls): valid UTF-8 stays as it is, each byte that is not part of valid
 *             UTF-8 becomes U+FFFD (the replacement character, as Go's encoding/json does).
 */

/* s in the terminal form into out[len] (len > 0), cut only between whole characters and
 * escapes; always NUL-terminated. Returns out. */
char *escape_text(const char *s, char *out, size_t len);
/* The terminal form of s in place; s is a buffer of len bytes (what does not fit is cut). */
void escape_text_inplace(char *s, size_t len);

/* s as XML character data or an attribute value on f: the terminal form above (so no control
 * character XML 1.0 forbids, and valid UTF-8), with & < > " ' as entities. */
void escape_xml(FILE *f, const char *s);
/* s in the UTF-8 form, malloc'ed (NULL when out of memory). */
char *escape_utf8(const char *s);
/* s as a YAML double-quoted scalar on f (YAML 1.1 and 1.2 read it as s): JSON's escapes (bytes that are not
 * UTF-8 as U+FFFD), with U+FEFF, U+FFFE and U+FFFF escaped too (YAML does not hold them unescaped); NULL as "". */
void escape_yaml(FILE *f, const char *s);
/* Are the len bytes at s valid UTF-8 without a NUL (text that escape_yaml keeps as it is)? */
bool escape_utf8_valid(const char *s, size_t len);
