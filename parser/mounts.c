/* SPDX-License-Identifier: MIT */
/* mounts.c: container keys that put host or memory file systems and files into the container: binds, tmpfs, files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/fixture.h"
#include "parser/internal.h"
#include "util/cleanup.h"

/* ---- paths inside the container ---- */

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* str's components joined by one '/', "/" for none; NULL when one is "." or "..". */
static char *normalize(const char *str)
{
	char *out = malloc(strlen(str) + 2), *o = out;

	for (const char *p = str; out && *p;) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (!n)
			break;
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
			free(out);
			return errno = EINVAL, NULL;
		}
		*o++ = '/';
		memcpy(o, p, n);
		o += n, p += n;
	}
	if (out && o == out)
		*o++ = '/';
	if (out)
		*o = '\0';
	return out;
}

/* a is b or lies beneath it ("/data/x" beneath "/data", not beneath "/dat"). */
static bool beneath(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (!strcmp(b, "/"))
		return true;
	return !strncmp(a, b, n) && (a[n] == '/' || a[n] == '\0');
}

/* Refuse str (-1) or accept it (0) as a path inside the container where flags allow it. */
static int inside_check(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str,
			const char *norm, int flags)
{
	static const char *const kernel[] = { "/proc", "/sys", "/dev" };

	if ((flags & PV_PATH_NOT_ROOT) && !strcmp(norm, "/"))
		return pv_fail_at(ctx, s, path, "\"%s\" is the container's root (refused)", str);
	for (size_t i = 0; (flags & PV_PATH_NOT_KERNEL) && i < sizeof(kernel) / sizeof(*kernel); i++)
		if (beneath(norm, kernel[i]))
			return pv_fail_at(ctx, s, path, "\"%s\" is in %s, which cengine mounts itself (refused)", str, kernel[i]);
	return 0;
}

char *pv_inside_path(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str, int flags)
{
	char *norm;

	if (*str != '/')
		return pv_fail_at(ctx, s, path, "\"%s\" is not an absolute path", str), NULL;
	if (strlen(str) >= FIXTURE_PATH_MAX || has_control(str))
		return pv_fail_at(ctx, s, path, "\"%s\" is longer than %d bytes or has a control character", str,
				  FIXTURE_PATH_MAX - 1), NULL;
	if (!(norm = normalize(str))) {
		if (errno == EINVAL)
			pv_fail_at(ctx, s, path, "\"%s\" has a \".\" or \"..\" component (refused)", str);
		else
			pv_oom(ctx);
		return NULL;
	}
	if (inside_check(ctx, s, path, str, norm, flags) < 0) {
		free(norm);
		return NULL;
	}
	return norm;
}

int pv_fixture_list(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what)
{
	int type = config_setting_type(s);

	if (type != CONFIG_TYPE_LIST && type != CONFIG_TYPE_ARRAY)
		return pv_fail_at(ctx, s, path, "expected a list ( %s, ... )", what);
	if (config_setting_length(s) > FIXTURE_LIST_MAX)
		return pv_fail_at(ctx, s, path, "%d entries, at most %d", config_setting_length(s), FIXTURE_LIST_MAX);
	return config_setting_length(s);
}

int pv_string_items(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what, size_t size,
		    pv_item_fn fn, void (*drop)(void *v, size_t n), struct pv_items *out)
{
	int n = pv_fixture_list(ctx, s, path, what);
	char *v = n > 0 ? calloc((size_t)n, size) : NULL;
	char elem[PATH_LEN];

	if (n < 0 || (n > 0 && !v))
		return n < 0 ? -1 : pv_oom(ctx);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *str = NULL;

		pv_path_elem(elem, path, i);
		if (pv_get_string(ctx, e, elem, &str) < 0 || fn(ctx, e, elem, str, v + (size_t)i * size) < 0) {
			drop(v, (size_t)n);
			return -1;
		}
	}
	*out = (struct pv_items){ v, (size_t)n };
	return 0;
}

/* A host path relative to the file's directory, resolved (it must exist): malloc'd, or NULL. */
static char *host_path(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str, size_t len)
{
	_cleanup_free_ char *joined = NULL, *given = strndup(str, len);
	char *real;

	if (!given || (*given != '/' && asprintf(&joined, "%s/%s", ctx->dir, given) < 0))
		return pv_oom(ctx), NULL;
	if (!*given)
		return pv_fail_at(ctx, s, path, "\"%s\": the host path is empty", str), NULL;
	if (!(real = realpath(joined ? joined : given, NULL)))
		pv_fail_at(ctx, s, path, "%s: %s", given, errno == ENOENT ? "no such file or directory on the host"
										: strerror(errno));
	return real;
}

/* ---- which of them may lie beneath which ---- */

/* Nothing beneath a bind (making its mount point would change the host's directory), no two on one
 * path, no file beneath a tmpfs (files go to the writable layer first: the tmpfs would hide it). */
static int check_nesting(struct ctx *ctx, const config_setting_t *s, const char *path, const struct fixture *f)
{
	for (size_t i = 0; i < f->n_binds; i++) {
		for (size_t k = 0; k < f->n_binds; k++)
			if (k != i && beneath(f->binds[k].dst, f->binds[i].dst))
				return pv_fail_at(ctx, s, path, "bind %s lies in bind %s (refused: it would change the host's "
						  "directory)", f->binds[k].dst, f->binds[i].dst);
		for (size_t k = 0; k < f->n_tmpfs; k++)
			if (beneath(f->tmpfs[k].dst, f->binds[i].dst))
				return pv_fail_at(ctx, s, path, "tmpfs %s lies in bind %s (refused)", f->tmpfs[k].dst,
						  f->binds[i].dst);
	}
	for (size_t i = 0; i < f->n_files; i++) {
		for (size_t k = 0; k < f->n_binds; k++)
			if (beneath(f->files[i].path, f->binds[k].dst))
				return pv_fail_at(ctx, s, path, "file %s lies in bind %s (refused)", f->files[i].path,
						  f->binds[k].dst);
		for (size_t k = 0; k < f->n_tmpfs; k++)
			if (beneath(f->files[i].path, f->tmpfs[k].dst))
				return pv_fail_at(ctx, s, path, "file %s lies in tmpfs %s, which would hide it (refused)",
						  f->files[i].path, f->tmpfs[k].dst);
	}
	return 0;
}

/* binds, tmpfs, files run in this order: the last of them the group sets checks them together. */
static int nesting_after(struct ctx *ctx, const config_setting_t *s, const char *path, const struct fixture *f,
			 const char *const *later)
{
	for (; *later; later++)
		if (config_setting_get_member(config_setting_parent(s), *later))
			return 0;
	return check_nesting(ctx, s, path, f);
}

/* ---- binds = [ "SRC:DST[:ro|rw]" ] ---- */

static int parse_bind(struct ctx *ctx, const config_setting_t *e, const char *elem, const char *str, void *item)
{
	struct bind *b = item;
	const char *c1 = strchr(str, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	_cleanup_free_ char *dst = NULL;

	if (!c1 || (c2 && strcmp(c2 + 1, "ro") && strcmp(c2 + 1, "rw")))
		return pv_fail_at(ctx, e, elem, "\"%s\" is not \"SRC:DST\", \"SRC:DST:ro\" or \"SRC:DST:rw\"", str);
	if (!(dst = strndup(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1))))
		return pv_oom(ctx);
	if (!(b->dst = pv_inside_path(ctx, e, elem, dst, PV_PATH_NOT_ROOT | PV_PATH_NOT_KERNEL)))
		return -1;
	b->ro = c2 && !strcmp(c2 + 1, "ro");
	b->src = host_path(ctx, e, elem, str, (size_t)(c1 - str));
	return b->src ? 0 : -1;
}

static void drop_binds(void *v, size_t n)
{
	fixture_binds_free(v, n);
}

static int m_binds(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	static const char *const later[] = { "tmpfs", "files", NULL };
	struct fixture *f = &((struct container *)obj)->fx;
	struct pv_items it;

	if (pv_string_items(ctx, s, path, "\"SRC:DST[:ro]\"", sizeof(struct bind), parse_bind, drop_binds, &it) < 0)
		return -1;
	fixture_binds_free(f->binds, f->n_binds);
	f->binds = it.v, f->n_binds = it.n;
	return nesting_after(ctx, s, path, f, later);
}

static void m_print_binds(struct printer *pr, const void *obj)
{
	const struct fixture *f = &((const struct container *)obj)->fx;

	for (size_t i = 0; i < f->n_binds; i++)
		pv_print_line(pr, "bind %s at %s (%s)", f->binds[i].src, f->binds[i].dst, f->binds[i].ro ? "ro" : "rw");
}

/* ---- tmpfs = [ "DST[:size=16M][,mode=1777]" ] ---- */

static int octal_mode(const char *str, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!*str || strspn(str, "01234567") != strlen(str))
		return -1;
	v = strtoul(str, &end, 8);
	if (v > 07777)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int tmpfs_option(struct ctx *ctx, const config_setting_t *e, const char *elem, char *opt, struct tmpfs_mount *t)
{
	if (!strncmp(opt, "size=", 5))
		return pv_parse_size(ctx, e, elem, opt + 5, &t->size) < 0 ? -1
		       : t->size ? 0 : pv_fail_at(ctx, e, elem, "size must be greater than 0");
	if (!strncmp(opt, "mode=", 5))
		return octal_mode(opt + 5, &t->mode) < 0 ? pv_fail_at(ctx, e, elem, "mode \"%s\" is not octal 0..7777", opt + 5) : 0;
	return pv_fail_at(ctx, e, elem, "\"%s\" is not size=N or mode=OCTAL", opt);
}

static int parse_tmpfs(struct ctx *ctx, const config_setting_t *e, const char *elem, const char *str, void *item)
{
	struct tmpfs_mount *t = item;
	_cleanup_free_ char *copy = strdup(str);
	char *colon = copy ? strchr(copy, ':') : NULL, *save = NULL;

	if (!copy)
		return pv_oom(ctx);
	if (colon)
		*colon = '\0';
	t->mode = TMPFS_MODE_DEFAULT;
	if (!(t->dst = pv_inside_path(ctx, e, elem, copy, PV_PATH_NOT_ROOT | PV_PATH_NOT_KERNEL)))
		return -1;
	if (colon && !colon[1])
		return pv_fail_at(ctx, e, elem, "\"%s\": nothing after ':' (size=N, mode=OCTAL)", str);
	for (char *o = colon ? strtok_r(colon + 1, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save))
		if (tmpfs_option(ctx, e, elem, o, t) < 0)
			return -1;
	return 0;
}

static void drop_tmpfs(void *v, size_t n)
{
	fixture_tmpfs_free(v, n);
}

static int m_tmpfs(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	static const char *const later[] = { "files", NULL };
	struct fixture *f = &((struct container *)obj)->fx;
	struct pv_items it;

	if (pv_string_items(ctx, s, path, "\"DST[:size=N][,mode=OCTAL]\"", sizeof(struct tmpfs_mount), parse_tmpfs,
			    drop_tmpfs, &it) < 0)
		return -1;
	fixture_tmpfs_free(f->tmpfs, f->n_tmpfs);
	f->tmpfs = it.v, f->n_tmpfs = it.n;
	return nesting_after(ctx, s, path, f, later);
}

static void m_print_tmpfs(struct printer *pr, const void *obj)
{
	const struct fixture *f = &((const struct container *)obj)->fx;

	for (size_t i = 0; i < f->n_tmpfs; i++) {
		if (f->tmpfs[i].size)
			pv_print_line(pr, "tmpfs %s size %llu mode %04o", f->tmpfs[i].dst,
				      (unsigned long long)f->tmpfs[i].size, (unsigned)f->tmpfs[i].mode);
		else
			pv_print_line(pr, "tmpfs %s size - mode %04o", f->tmpfs[i].dst, (unsigned)f->tmpfs[i].mode);
	}
}

/* ---- files = ( { path = "/etc/app.conf"; content = "..."; mode = "0644"; }, { path = ...; source = "./f"; } ) ---- */

/* The whole regular file at host path real, at most FIXTURE_FILE_MAX bytes, into fs->content. */
static int read_source(struct ctx *ctx, const config_setting_t *s, const char *path, const char *real,
		       struct file_spec *fs)
{
	_cleanup_close_ int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	ssize_t n = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		return pv_fail_at(ctx, s, path, "%s: %s", real, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size > FIXTURE_FILE_MAX)
		return pv_fail_at(ctx, s, path, "%s: not a regular file of at most %u bytes", real, FIXTURE_FILE_MAX);
	if (pv_hold(ctx, s, path, (size_t)st.st_size + MODEL_ITEM) < 0)
		return -1;
	if (!(fs->content = malloc((size_t)st.st_size + 1)))
		return pv_oom(ctx);
	while (fs->len < (size_t)st.st_size && (n = read(fd, fs->content + fs->len, (size_t)st.st_size - fs->len)) > 0)
		fs->len += (size_t)n;
	if (n < 0)
		return pv_fail_at(ctx, s, path, "%s: %s", real, strerror(errno));
	fs->content[fs->len] = '\0';
	return 0;
}

static int file_content(struct ctx *ctx, const config_setting_t *e, const char *elem, struct file_spec *fs)
{
	const config_setting_t *content = config_setting_get_member(e, "content"), *source = config_setting_get_member(e, "source");
	char sub[PATH_LEN];
	const char *str = NULL;
	_cleanup_free_ char *real = NULL;

	if (!content == !source)
		return pv_fail_at(ctx, e, elem, "needs either content or source");
	pv_path_key(sub, elem, content ? "content" : "source");
	if (pv_get_string(ctx, content ? content : source, sub, &str) < 0)
		return -1;
	if (content) {
		fs->len = strlen(str);
		if (fs->len > FIXTURE_FILE_MAX)
			return pv_fail_at(ctx, content, sub, "%zu bytes, at most %u", fs->len, FIXTURE_FILE_MAX);
		if (pv_hold(ctx, content, sub, fs->len + MODEL_ITEM) < 0)
			return -1;
		return (fs->content = strdup(str)) ? 0 : pv_oom(ctx);
	}
	if (!(real = host_path(ctx, source, sub, str, strlen(str))) || read_source(ctx, source, sub, real, fs) < 0)
		return -1;
	return (fs->source = strdup(str)) ? 0 : pv_oom(ctx);
}

static int file_entry(struct ctx *ctx, const config_setting_t *e, const char *elem, struct file_spec *fs)
{
	static const char *const generated[] = { "/etc/hostname", "/etc/hosts" };
	const config_setting_t *mode;
	char sub[PATH_LEN];
	const char *str = NULL;

	for (int i = 0; i < config_setting_length(e); i++) {
		const char *name = config_setting_name(config_setting_get_elem(e, (unsigned)i));

		pv_path_key(sub, elem, name);
		if (strcmp(name, "path") && strcmp(name, "content") && strcmp(name, "source") && strcmp(name, "mode"))
			return pv_fail_at(ctx, config_setting_get_elem(e, (unsigned)i), sub, "unknown key (path, content, source, mode)");
	}
	pv_path_key(sub, elem, "path");
	if (pv_get_string(ctx, config_setting_get_member(e, "path"), sub, &str) < 0 ||
	    !(fs->path = pv_inside_path(ctx, config_setting_get_member(e, "path"), sub, str, PV_PATH_NOT_ROOT | PV_PATH_NOT_KERNEL)))
		return -1;
	for (size_t i = 0; i < sizeof(generated) / sizeof(*generated); i++)
		if (!strcmp(fs->path, generated[i]))
			return pv_fail_at(ctx, config_setting_get_member(e, "path"), sub, "%s is written by cengine (refused)", fs->path);
	fs->mode = 0644;
	pv_path_key(sub, elem, "mode");
	if ((mode = config_setting_get_member(e, "mode")) &&
	    (pv_get_string(ctx, mode, sub, &str) < 0 ||
	     (octal_mode(str, &fs->mode) < 0 && pv_fail_at(ctx, mode, sub, "\"%s\" is not an octal mode like \"0644\"", str) < 0)))
		return -1;
	return file_content(ctx, e, elem, fs);
}

static int m_files(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	static const char *const later[] = { NULL };
	struct fixture *f = &((struct container *)obj)->fx;
	int n = pv_fixture_list(ctx, s, path, "{ path = ...; content = ...; }");
	struct file_spec *fs = n > 0 ? calloc((size_t)n, sizeof(*fs)) : NULL;
	char elem[PATH_LEN];

	if (n < 0 || (n > 0 && !fs))
		return n < 0 ? -1 : pv_oom(ctx);
	for (int i = 0; i < n; i++) {
		pv_path_elem(elem, path, i);
		if (pv_require(ctx, config_setting_get_elem(s, (unsigned)i), elem, "path") < 0 ||
		    file_entry(ctx, config_setting_get_elem(s, (unsigned)i), elem, &fs[i]) < 0) {
			fixture_files_free(fs, (size_t)n);
			return -1;
		}
	}
	fixture_files_free(f->files, f->n_files);
	f->files = fs, f->n_files = (size_t)n;
	return nesting_after(ctx, s, path, f, later);
}

static void m_print_files(struct printer *pr, const void *obj)
{
	const struct fixture *f = &((const struct container *)obj)->fx;

	for (size_t i = 0; i < f->n_files; i++) {
		if (f->files[i].source)
			pv_print_line(pr, "file %s mode %04o, %zu bytes from %s", f->files[i].path, (unsigned)f->files[i].mode,
				      f->files[i].len, f->files[i].source);
		else
			pv_print_line(pr, "file %s mode %04o, %zu bytes", f->files[i].path, (unsigned)f->files[i].mode,
				      f->files[i].len);
	}
}

const struct key pv_mount_keys[] = { PV_KEY(m, binds), PV_KEY(m, tmpfs), PV_KEY(m, files), PV_END };
