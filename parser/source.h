/* SPDX-License-Identifier: MIT */
/* source.h: the text of a .conf as libconfig gets it: read safely, capped, its @include lines expanded here. */
#pragma once

#include <libconfig.h>
#include <stddef.h>

#include "util/error.h"

/*
 * A file may be hostile (a CI job checks a file from a pull request). libconfig 1.5 (Debian 12)
 * opens an @include with fopen(): a FIFO blocks it for ever, a device is opened, and it has no
 * hook to say no (config_set_include_func is 1.7). Its scanner also takes quadratic time on one
 * long token (a 4 MiB string: 7 s) and on a group with many settings (100,000: 35 s). So the
 * text is read here first, as libconfig's scanner would see it, and handed over as a string:
 *
 *   - the file and every file it includes must be regular files (opened O_PATH first, so no
 *     device's open runs), SOURCE_MAX bytes in all;
 *   - `@include "PATH"` at the start of a line (libconfig's own syntax) is replaced by the file
 *     it names, PATH relative to the including file's directory, INCLUDE_DEPTH_MAX deep and
 *     INCLUDES_MAX in all; libconfig's own include is pointed at /dev/null/, so an @include this
 *     reader did not see can only fail ("cannot open include file"), never open anything;
 *   - no string, name, number, run of blanks or comment line is longer than TOKEN_MAX bytes,
 *     groups and lists nest at most NEST_MAX deep, and a group holds at most GROUP_MAX settings.
 *
 * Errors are one line: "FILE: too large (N bytes, at most M)", "FILE: not a regular file",
 * "FILE:LINE: what: why".
 */

#define SOURCE_MAX (4u << 20)	/* bytes of a file and its includes together */
#define TOKEN_MAX (64u << 10)	/* bytes of one string literal, name, number, comment line or blank run */
#define INCLUDE_DEPTH_MAX 8
#define INCLUDES_MAX 64
#define NEST_MAX 32		/* groups, lists and arrays inside each other */
#define GROUP_MAX 128		/* settings in one group (no cengine group has more than 40 keys) */

/* Which file and line of it a line of the text comes from. */
struct source_span {
	int first;		/* the first line of text it covers (1-based) */
	size_t file;		/* index into files */
	int file_line;		/* the line of that file text line `first` is */
};

struct source {
	char *text;		/* NUL-terminated */
	size_t len, cap;
	int lines;		/* the line of text the next byte goes on (1-based) */
	struct source_span *spans;
	size_t n_spans, spans_cap;
	char **files;		/* the file, then each file included, as their paths were written */
	size_t n_files, files_cap;
	size_t read;		/* bytes read from all files */
};

/* Read file (and what it includes) into src. 0, or -1 with err set (one line; err->code ENOENT
 * and friends when the file cannot be opened, EINVAL when it is refused). */
int pv_source_read(const char *file, struct source *src, struct ce_error *err);
void pv_source_free(struct source *src);
/* The file and its line that line `line` of the text comes from. */
const char *pv_source_where(const struct source *src, int line, int *file_line);
/* config_read_string() of src->text into cfg, with libconfig's own @include disabled;
 * a syntax error is one line "FILE:LINE: what". */
int pv_source_parse(const struct source *src, config_t *cfg, struct ce_error *err);
