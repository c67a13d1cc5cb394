/* SPDX-License-Identifier: MIT */
/* source.c: a .conf read before libconfig sees it: regular files only, size, token and nesting caps, @include expanded here. */
#include "parser/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

/* libconfig puts its include_dir before every @include path, absolute ones too: below a
 * file that is not a directory, none can be opened (ENOTDIR), ".." or not. */
#define NO_INCLUDE_DIR "/dev/null"

/* What the scan of all files shares: the output, the caps, the open groups and lists. */
struct lexer {
	struct source *src;
	struct ce_error *err;
	int depth;			/* include depth of the file being scanned */
	int includes;			/* @include lines expanded so far */
	int top;			/* open groups/lists; nest[0] is the root group */
	char nest[NEST_MAX + 1];	/* '{', '(' or '[' */
	int members[NEST_MAX + 1];	/* settings in each open group */
};

/* One file being scanned, as libconfig's flex scanner (scanner.l of 1.5) reads it. */
struct scan {
	const char *file;
	size_t file_idx;
	const char *t;
	size_t len, i;
	size_t emitted;			/* t[0..emitted) is in the output */
	int line;			/* line of t[i] */
	bool bol;			/* t[i] starts a line (flex's ^) */
};

__attribute__((format(printf, 4, 5)))
static int fail(struct lexer *lx, const struct scan *sc, int line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ce_error_set(lx->err, 0, "%s:%d: %s", sc->file, line, why);
	if (lx->err)
		lx->err->code = EINVAL;
	return -1;
}

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *nv;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	nv = realloc(*v, n * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = n;
	return 0;
}

static int emit(struct source *src, const char *p, size_t n)
{
	if (grow((void **)&src->text, &src->cap, src->len + n + 1, 1) < 0)
		return -1;
	memcpy(src->text + src->len, p, n);
	src->len += n;
	src->text[src->len] = '\0';
	for (size_t k = 0; k < n; k++)
		src->lines += p[k] == '\n';
	return 0;
}

/* From here on, lines of text come from file line `file_line` of file `file`. */
static int span(struct source *src, size_t file, int file_line)
{
	if (grow((void **)&src->spans, &src->spans_cap, src->n_spans + 1, sizeof(*src->spans)) < 0)
		return -1;
	src->spans[src->n_spans++] = (struct source_span){ src->lines, file, file_line };
	return 0;
}

/* ---- reading a file ---- */

static int too_large(struct ce_error *err, const char *path, unsigned long long size)
{
	ce_error_set(err, 0, "%s: too large (%llu bytes, at most %u)", path, size, SOURCE_MAX);
	if (err)
		err->code = EFBIG;
	return -1;
}

static int refused(struct ce_error *err, const char *path, const char *why)
{
	ce_error_set(err, 0, "%s: %s", path, why);
	if (err)
		err->code = EINVAL;
	return -1;
}

/* Open path without running a device's open or blocking on a FIFO: O_PATH, a regular file, then
 * opened for reading through /proc/self/fd. */
static int open_regular(const char *path, struct stat *st, struct ce_error *err)
{
	_cleanup_close_ int pfd = open(path, O_PATH | O_CLOEXEC);
	char proc[64];
	int fd;

	if (pfd < 0 || fstat(pfd, st) < 0)
		return ce_error_set(err, errno, "%s", path);
	if (!S_ISREG(st->st_mode))
		return refused(err, path, "not a regular file");
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ce_error_set(err, errno, "%s", path);
	return fd;
}

/* The whole regular file, within what is left of SOURCE_MAX. */
static int read_regular(struct source *src, const char *path, char **out, size_t *len, struct ce_error *err)
{
	size_t left = SOURCE_MAX - src->read, size, n = 0;
	_cleanup_free_ char *buf = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;
	ssize_t r = 1;

	fd = open_regular(path, &st, err);
	if (fd < 0)
		return -1;
	if ((unsigned long long)st.st_size > left)
		return too_large(err, path, (unsigned long long)st.st_size + src->read);
	size = (size_t)st.st_size;
	buf = malloc(size + 2);
	if (!buf)
		return ce_error_set(err, ENOMEM, "%s", path);
	while (n <= size && (r = read(fd, buf + n, size + 1 - n)) > 0)
		n += (size_t)r;
	if (r < 0)
		return ce_error_set(err, errno, "read %s", path);
	if (n > size)	/* it grew since fstat, or says it is empty and is not (/proc) */
		return refused(err, path, "changed while it was read");
	buf[n] = '\0';
	src->read += n;
	*len = n;
	*out = steal_pointer(&buf);
	return 0;
}

static int add_file(struct source *src, const char *path, struct ce_error *err)
{
	if (grow((void **)&src->files, &src->files_cap, src->n_files + 1, sizeof(*src->files)) < 0)
		return ce_error_set(err, ENOMEM, "%s", path);
	if (!(src->files[src->n_files] = strdup(path)))
		return ce_error_set(err, ENOMEM, "%s", path);
	return (int)src->n_files++;
}

/* ---- the scan ---- */

static int scan_file(struct lexer *lx, const char *path, const char *text, size_t len);

/* A run of t[i..] while `in` holds, at most TOKEN_MAX long. */
static int run(struct lexer *lx, struct scan *sc, bool (*in)(char c), const char *what)
{
	size_t j = sc->i;

	while (j < sc->len && in(sc->t[j]))
		j++;
	if (j - sc->i > TOKEN_MAX)
		return fail(lx, sc, sc->line, "%s: longer than %u bytes", what, TOKEN_MAX);
	sc->i = j;
	return 0;
}

static bool blank(char c) { return c == ' ' || c == '\t'; }
static bool not_newline(char c) { return c != '\n'; }
/* What libconfig's names, numbers, true and false are made of. */
static bool word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_*.+-", c);
}

/* "...": its length and newlines; 1 when the file ends inside it. */
static int string(struct lexer *lx, struct scan *sc)
{
	size_t j = sc->i + 1;
	int line = sc->line;

	while (j < sc->len && sc->t[j] != '"') {
		sc->line += sc->t[j] == '\n';
		j += sc->t[j] == '\\' && j + 1 < sc->len && sc->t[j + 1] != '\n' ? 2 : 1;
	}
	if (j - sc->i > TOKEN_MAX)
		return fail(lx, sc, line, "string: longer than %u bytes", TOKEN_MAX);
	sc->i = j + 1;
	return j >= sc->len;
}

/* / * ... * /: its newlines; 1 when the file ends inside it. */
static int block_comment(struct scan *sc)
{
	const char *end = memmem(sc->t + sc->i + 2, sc->len - sc->i - 2, "*/", 2);
	size_t j = end ? (size_t)(end - sc->t) + 2 : sc->len;

	for (size_t k = sc->i; k < j; k++)
		sc->line += sc->t[k] == '\n';
	sc->i = j;
	return !end;
}

/* { ( [ open, } ) ] close; = and : name a setting of the innermost group (the root at the top). */
static int nesting(struct lexer *lx, struct scan *sc, char c)
{
	if (c == '{' || c == '(' || c == '[') {
		if (lx->top >= NEST_MAX)
			return fail(lx, sc, sc->line, "nesting: groups and lists more than %d deep", NEST_MAX);
		lx->nest[++lx->top] = c;
		lx->members[lx->top] = 0;
	} else if (c == '}' || c == ')' || c == ']') {
		lx->top -= lx->top > 0;
	} else if (lx->nest[lx->top] == '{' && ++lx->members[lx->top] > GROUP_MAX) {
		return fail(lx, sc, sc->line, "group: more than %d settings", GROUP_MAX);
	}
	return 0;
}

/* `[ \t]*@include[ \t]+"` at t[i] (at the start of a line): the index after the quote, or 0. */
static size_t include_open(const struct scan *sc)
{
	size_t j = sc->i, k;

	while (j < sc->len && blank(sc->t[j]))
		j++;
	if (sc->len - j < 8 || memcmp(sc->t + j, "@include", 8))
		return 0;
	for (k = j + 8; k < sc->len && blank(sc->t[k]); k++)
		;
	return k > j + 8 && k < sc->len && sc->t[k] == '"' ? k + 1 : 0;
}

/* The name after @include " up to its closing quote (\\ and \" as in libconfig, another
 * backslash dropped); sc->i ends past the quote. */
static int include_name(struct lexer *lx, struct scan *sc, size_t j, char *name, size_t size)
{
	size_t n = 0;

	for (; j < sc->len && sc->t[j] != '"'; j++) {
		unsigned char c = (unsigned char)sc->t[j];

		if (c == '\\' && j + 1 < sc->len && (sc->t[j + 1] == '\\' || sc->t[j + 1] == '"'))
			c = (unsigned char)sc->t[++j];
		else if (c == '\\')
			continue;
		if (c < 0x20 || c == 0x7f)
			return fail(lx, sc, sc->line, "@include: a control character in the file name");
		if (n + 1 >= size)
			return fail(lx, sc, sc->line, "@include: file name longer than %zu bytes", size - 1);
		name[n++] = (char)c;
	}
	if (j >= sc->len || !n)
		return fail(lx, sc, sc->line, "@include: %s", n ? "no closing quote" : "no file name");
	name[n] = '\0';
	sc->i = j + 1;
	return 0;
}

/* The file an @include names: absolute, or relative to the including file's directory. */
static void include_path(const struct scan *sc, const char *name, char *out, size_t size)
{
	const char *slash = strrchr(sc->file, '/');

	if (name[0] == '/' || !slash)
		snprintf(out, size, "%s", name);
	else
		snprintf(out, size, "%.*s/%s", (int)(slash - sc->file), sc->file, name);
}

/* Replace the @include line's directive by the file it names; what follows the closing quote goes on. */
static int include(struct lexer *lx, struct scan *sc, size_t name_at)
{
	_cleanup_free_ char *text = NULL;
	char name[1024], path[2048];
	size_t len = 0;
	size_t start = sc->i;	/* the start of the @include line */
	int line = sc->line;

	if (include_name(lx, sc, name_at, name, sizeof(name)) < 0)
		return -1;
	if (lx->depth >= INCLUDE_DEPTH_MAX)
		return fail(lx, sc, line, "@include \"%s\": nested more than %d deep", name, INCLUDE_DEPTH_MAX);
	if (++lx->includes > INCLUDES_MAX)
		return fail(lx, sc, line, "@include \"%s\": more than %d includes", name, INCLUDES_MAX);
	include_path(sc, name, path, sizeof(path));
	if (read_regular(lx->src, path, &text, &len, lx->err) < 0)
		return ce_error_wrap(lx->err, "%s:%d: @include \"%s\"", sc->file, line, name);
	if (emit(lx->src, sc->t + sc->emitted, start - sc->emitted) < 0)
		return ce_error_set(lx->err, ENOMEM, "%s", sc->file);
	lx->depth++;
	if (scan_file(lx, path, text, len) < 0)
		return -1;
	lx->depth--;
	if (lx->src->len && lx->src->text[lx->src->len - 1] != '\n' && emit(lx->src, "\n", 1) < 0)
		return ce_error_set(lx->err, ENOMEM, "%s", sc->file);
	sc->emitted = sc->i;
	sc->bol = false;
	return span(lx->src, sc->file_idx, line) < 0 ? ce_error_set(lx->err, ENOMEM, "%s", sc->file) : 0;
}

/* One token (or comment, or run of blanks) of code at t[i]; 1 when the file ends inside a
 * string or comment. */
static int token(struct lexer *lx, struct scan *sc)
{
	char c = sc->t[sc->i], next = sc->i + 1 < sc->len ? sc->t[sc->i + 1] : '\0';
	size_t at;

	if (sc->bol && (at = include_open(sc)))
		return include(lx, sc, at);
	sc->bol = c == '\n';
	if (c == '\n')
		sc->line++;
	if (c == '"')
		return string(lx, sc);
	if (c == '#' || (c == '/' && next == '/'))
		return run(lx, sc, not_newline, "comment");
	if (c == '/' && next == '*')
		return block_comment(sc);
	if (blank(c))
		return run(lx, sc, blank, "blanks");
	if (word(c))
		return run(lx, sc, word, "name or number");
	sc->i++;
	return strchr("{([})]=:", c) ? nesting(lx, sc, c) : 0;
}

static int scan_text(struct lexer *lx, struct scan *sc)
{
	int rc = 0;

	while (sc->i < sc->len && rc == 0)
		rc = token(lx, sc);
	if (rc < 0)
		return -1;
	if (rc > 0 && lx->depth > 0)	/* the including file would go on inside it */
		return fail(lx, sc, sc->line, "file: ends inside a string or a comment");
	if (emit(lx->src, sc->t + sc->emitted, sc->len - sc->emitted) < 0)
		return ce_error_set(lx->err, ENOMEM, "%s", sc->file);
	return 0;
}

/* The text of file path (read_regular()) into the output, its includes expanded. */
static int scan_file(struct lexer *lx, const char *path, const char *text, size_t len)
{
	struct scan sc = { .file = path, .len = len, .line = 1, .bol = true };
	int idx;

	if (memchr(text, '\0', sc.len)) {	/* config_read_string would stop there */
		for (const char *c = text; *c; c++)
			sc.line += *c == '\n';
		return fail(lx, &sc, sc.line, "file: a NUL byte (libconfig would stop reading there)");
	}
	idx = add_file(lx->src, path, lx->err);
	if (idx < 0 || span(lx->src, (size_t)idx, 1) < 0)
		return ce_error_set(lx->err, ENOMEM, "%s", path);
	sc.t = text;
	sc.file_idx = (size_t)idx;
	sc.file = lx->src->files[idx];
	return scan_text(lx, &sc);
}

int pv_source_read(const char *file, struct source *src, struct ce_error *err)
{
	struct lexer lx = { .src = src, .err = err, .nest = { '{' } };
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	*src = (struct source){ .lines = 1 };
	if (read_regular(src, file, &text, &len, err) < 0 || scan_file(&lx, file, text, len) < 0) {
		pv_source_free(src);
		return -1;
	}
	return 0;
}

void pv_source_free(struct source *src)
{
	for (size_t i = 0; i < src->n_files; i++)
		free(src->files[i]);
	free(src->files);
	free(src->spans);
	free(src->text);
	*src = (struct source){ 0 };
}

const char *pv_source_where(const struct source *src, int line, int *file_line)
{
	size_t lo = 0, hi = src->n_spans;

	*file_line = line;
	if (!src->n_spans)
		return src->n_files ? src->files[0] : "";
	while (hi - lo > 1) {	/* the last span that starts at or before line */
		size_t mid = (lo + hi) / 2;

		if (src->spans[mid].first <= line)
			lo = mid;
		else
			hi = mid;
	}
	*file_line = src->spans[lo].file_line + (line - src->spans[lo].first);
	return src->files[src->spans[lo].file];
}

int pv_source_parse(const struct source *src, config_t *cfg, struct ce_error *err)
{
	const char *file, *text;
	int line;

	config_set_include_dir(cfg, NO_INCLUDE_DIR);
	if (config_read_string(cfg, src->text ? src->text : ""))
		return 0;
	file = pv_source_where(src, config_error_line(cfg), &line);
	text = config_error_text(cfg) ? config_error_text(cfg) : "syntax error";
	ce_error_set(err, 0, "%s:%d: %s%s", file, line, text,
		     strstr(text, "include") ? " (an @include starts its own line)" : "");
	if (err)
		err->code = EINVAL;
	return -1;
}
