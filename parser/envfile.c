/* SPDX-License-Identifier: MIT */
/* envfile.c: container key env_file: KEY=VALUE files (relative to the .conf's directory) merged before env. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/strv.h"
#include "parser/internal.h"
#include "util/cleanup.h"
#include "util/escape.h"

#define ENV_FILE_MAX (1u << 20)	/* bytes of one env file */

/* An env file's own error: "FILE:LINE: PATH: what" with the env file's name and line. */
__attribute__((format(printf, 5, 6)))
static int fail_in(struct ctx *ctx, const char *file, unsigned line, const char *path, const char *fmt, ...)
{
	char msg[CE_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	escape_text_inplace(msg, sizeof(msg));
	ce_error_set(ctx->err, 0, "%s:%u: %s: %s", file, line, path, msg);
	if (ctx->err)
		ctx->err->code = EINVAL;
	return -1;
}

static bool valid_key(const char *s, size_t len)
{
	if (!len || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* One line: blank and # lines are skipped (0), KEY=VALUE pushed (0), anything else -1. A value in
 * matching quotes loses them ("a b" -> a b), as Compose reads it; nothing else is interpreted. */
static int take_line(char *line, char ***list)
{
	char *start = line, *eq, *val;
	size_t vlen;

	line[strcspn(line, "\r\n")] = '\0';
	while (*start == ' ' || *start == '\t')
		start++;
	if (!*start || *start == '#')
		return 0;
	if (!strncmp(start, "export ", 7))
		start += 7;
	if (!(eq = strchr(start, '=')) || !valid_key(start, (size_t)(eq - start)))
		return -1;
	val = eq + 1;
	vlen = strlen(val);
	if (vlen >= 2 && (val[0] == '"' || val[0] == '\'') && val[vlen - 1] == val[0]) {
		memmove(val, val + 1, vlen - 2);
		val[vlen - 2] = '\0';
	}
	return strv_push(list, start) < 0 ? -2 : 0;
}

/* A regular file only (a FIFO would make check wait, a device read forever), as @include reads. */
static FILE *open_regular(const char *file)
{
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}

/* The lines of one env file into *list. A bad line is named by its number, never shown: the file may be
 * one that is not the project's (a file named by a hostile .conf), and check's message goes to a CI log. */
static int read_env_file(struct ctx *ctx, const config_setting_t *s, const char *path, const char *name,
			 char ***list)
{
	_cleanup_free_ char *file = NULL, *line = NULL;
	_cleanup_fclose_ FILE *f = NULL;
	size_t cap = 0, total = 0;
	unsigned lineno = 0;
	ssize_t n;
	int r;

	if (*name != '/' && asprintf(&file, "%s/%s", ctx->dir, name) < 0)
		return pv_oom(ctx);
	if (!(f = open_regular(file ? file : name)))
		return pv_fail_at(ctx, s, path, "%s: %s", name, errno == EINVAL ? "not a regular file" : strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if ((total += (size_t)n) > ENV_FILE_MAX)
			return pv_fail_at(ctx, s, path, "%s: more than %u bytes", name, ENV_FILE_MAX);
		if (memchr(line, '\0', (size_t)n))
			return fail_in(ctx, file ? file : name, lineno, path, "a NUL byte: not a text file of KEY=VALUE lines");
		if ((r = take_line(line, list)) == -2)
			return pv_oom(ctx);
		if (r < 0)
			return fail_in(ctx, file ? file : name, lineno, path,
				       "not KEY=VALUE (KEY of A-Z a-z 0-9 _), a blank line or a # comment");
		if (pv_hold(ctx, s, path, (size_t)n + MODEL_ITEM) < 0)
			return -1;
	}
	return ferror(f) ? pv_fail_at(ctx, s, path, "%s: %s", name, strerror(errno)) : 0;
}

int pv_env_file(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	char **names = NULL, **list = NULL;
	char elem[PATH_LEN];
	int rc = 0;

	if (pv_get_strv(ctx, s, path, &names) < 0)
		return -1;
	if (!names)
		return pv_fail_at(ctx, s, path, "must not be empty");
	for (size_t i = 0; names[i] && rc == 0; i++) {
		pv_path_elem(elem, path, (int)i);
		rc = read_env_file(ctx, config_setting_get_elem(s, (unsigned)i), elem, names[i], &list);
	}
	strv_free(names);
	if (rc < 0) {
		strv_free(list);
		return -1;
	}
	return pv_env_merge(ctx, &c->env, list);
}
