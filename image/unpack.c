/* SPDX-License-Identifier: MIT */
/* unpack.c: an image's layers applied in order into one tree, in one pass each: whiteouts hide lower layers (never their own), markers stay out. */
#include "image/internal.h"

#include <dirent.h>
#include <errno.h>
#include <search.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/archive_dl.h"
#include "util/fs.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

struct layer {
	const char *tree;		/* the temporary tree (also the current directory) */
	int root;			/* its fd */
	char what[160];			/* "layer 2/3 sha256:..." */
	void *written;			/* tsearch(3) tree of the paths this layer wrote so far (cleaned) */
};

/* An entry's path without "./", empty components or a trailing '/'; refused when absolute or with "..". */
static int clean_path(const struct layer *l, const char *in, char *out, size_t len, struct ce_error *err)
{
	size_t o = 0;

	if (in[0] == '/')
		return ce_error_set(err, 0, "%s: entry \"%s\" refused: an absolute path", l->what, in);
	for (const char *p = in; *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 2 && !strncmp(p, "..", 2))
			return ce_error_set(err, 0, "%s: entry \"%s\" refused: a path with ..", l->what, in);
		if (n && !(n == 1 && *p == '.')) {
			if (o + n + 2 > len)
				return ce_error_set(err, 0, "%s: entry \"%.100s...\" refused: too long", l->what, in);
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n + (slash ? 1 : 0);
	}
	out[o] = '\0';
	return 0;
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The directory dir of the tree, resolved beneath it without following any symbolic link. */
static int open_dir_beneath(const struct layer *l, const char *dir)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };

	return (int)syscall(SYS_openat2, l->root, *dir ? dir : ".", &how, sizeof(how));
}

/* Remove what lower layers put at dir/name (name itself: a link is not followed). */
static int remove_at(const struct layer *l, const char *dir, const char *name, struct ce_error *err)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s%s%s", l->tree, dir, *dir ? "/" : "", name);
	if (fs_remove_tree(path) < 0)
		return ce_error_set(err, errno, "%s: remove %s", l->what, path);
	return 0;
}

static bool written(const struct layer *l, const char *path)
{
	return tfind(path, &l->written, (int (*)(const void *, const void *))strcmp) != NULL;
}

/* Every entry of dir that lower layers wrote: what this layer wrote stays (in a directory it wrote,
 * what lower layers wrote below goes too). */
static int make_opaque(const struct layer *l, int dirfd, const char *dir, struct ce_error *err)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	char path[PATH_MAX];

	if (!d) {
		if (fd >= 0)
			close(fd);
		return ce_error_set(err, errno, "%s: open %s", l->what, dir);
	}
	for (struct dirent *de; rc == 0 && (de = readdir(d));) {
		_cleanup_close_ int sub = -1;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", de->d_name);
		if (!written(l, path))
			rc = remove_at(l, dir, de->d_name, err);
		else if (de->d_type == DT_DIR && (sub = open_dir_beneath(l, path)) >= 0)
			rc = make_opaque(l, sub, path, err);
	}
	closedir(d);
	return rc;
}

/* One whiteout, applied to what lower layers wrote (this layer's own entries stay, whatever their
 * order in it): its directory is found beneath the tree without following a link (a whiteout cannot
 * reach out of it), a missing one hides nothing. */
static int apply_whiteout(const struct layer *l, char *path, struct ce_error *err)
{
	char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path, hidden_path[PATH_MAX];
	const char *dir = slash ? path : "", *hidden = name + strlen(WH_PREFIX);
	_cleanup_close_ int dirfd = -1;

	if (slash)
		*slash = '\0';
	if (strcmp(name, WH_OPAQUE) && (!*hidden || !strcmp(hidden, ".") || !strcmp(hidden, "..")))
		return ce_error_set(err, 0, "%s: whiteout \"%s/%s\" refused: it names no file", l->what, dir, name);
	dirfd = open_dir_beneath(l, dir);
	if (dirfd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (dirfd < 0)
		return ce_error_set(err, errno, "%s: whiteout in \"%s\" refused", l->what, dir);
	if (!strcmp(name, WH_OPAQUE))
		return make_opaque(l, dirfd, dir, err);
	if ((size_t)snprintf(hidden_path, sizeof(hidden_path), "%s%s%s", dir, *dir ? "/" : "", hidden) >= sizeof(hidden_path))
		return ce_error_set(err, ENAMETOOLONG, "%s: whiteout in \"%s\"", l->what, dir);
	return written(l, hidden_path) ? 0 : remove_at(l, dir, hidden, err);
}

/* Remember that this layer wrote path. */
static int note_written(struct layer *l, const char *path, struct ce_error *err)
{
	char *copy = strdup(path);
	const void *in = copy ? tsearch(copy, &l->written, (int (*)(const void *, const void *))strcmp) : NULL;

	if (!in) {
		free(copy);
		return ce_error_set(err, ENOMEM, "%s", l->what);
	}
	if (*(char *const *)in != copy)
		free(copy);	/* written twice */
	return 0;
}

/* Before each entry: a whiteout is applied and not written; a non-directory replaces a directory of
 * a lower layer (libarchive would refuse to remove a full one). */
static int before_entry(void *ctx, struct archive_entry *e, struct ce_error *err)
{
	struct layer *l = ctx;
	char path[PATH_MAX], *slash;
	_cleanup_close_ int dirfd = -1;
	struct stat st;

	if (clean_path(l, lib_dl_archive_entry_pathname(e), path, sizeof(path), err) < 0)
		return -1;
	if (!strncmp(base_of(path), WH_PREFIX, strlen(WH_PREFIX)))
		return apply_whiteout(l, path, err) < 0 ? -1 : 1;
	if (note_written(l, path, err) < 0)
		return -1;
	if (lib_dl_archive_entry_filetype(e) == AE_IFDIR || !*path)
		return 0;
	slash = strrchr(path, '/');
	if (slash)
		*slash = '\0';
	dirfd = open_dir_beneath(l, slash ? path : "");
	if (dirfd >= 0 && fstatat(dirfd, slash ? slash + 1 : path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
		return remove_at(l, slash ? path : "", slash ? slash + 1 : path, err);
	return 0;
}

static int apply_layer(struct layer *l, const char *blob, struct archive_budget *b, struct ce_error *err)
{
	const struct archive_hooks hooks = { .before = before_entry, .ctx = l };
	int rc;

	b->name = l->what;
	rc = archive_extract_here(blob, b, &hooks, err);
	tdestroy(l->written, free);
	l->written = NULL;
	return rc;
}

static void say(FILE *progress, const struct img_desc *d, size_t i, size_t n)
{
	char size[32];

	if (!progress)
		return;
	fs_human_size(d->size, size, sizeof(size));
	fprintf(progress, "layer %zu/%zu %.19s %s: unpacked\n", i + 1, n, d->digest, size);
	fflush(progress);
}

/* All layers into the current directory, the temporary tree tmp. */
static int apply_all(const char *store, const struct img_manifest *m, const struct image_caps *caps, FILE *progress,
		     const char *tmp, struct ce_error *err)
{
	struct archive_budget b = { .max_size = caps->max_size, .max_entries = caps->max_entries };
	struct layer l = { .tree = tmp, .root = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC) };
	char blob[PATH_MAX];
	int rc = l.root < 0 ? ce_error_set(err, errno, "open %s", tmp) : 0;

	for (size_t i = 0; rc == 0 && i < m->n_layers; i++) {
		snprintf(l.what, sizeof(l.what), "layer %zu/%zu %s", i + 1, m->n_layers, m->layers[i].digest);
		img_blob_path(store, m->layers[i].digest, blob, sizeof(blob));
		rc = apply_layer(&l, blob, &b, err);
		if (rc == 0)
			say(progress, &m->layers[i], i, m->n_layers);
	}
	if (l.root >= 0)
		close(l.root);
	return rc;
}

int img_unpack(const char *store, const struct img_manifest *m, const struct image_caps *caps, FILE *progress,
	       const char *tree, struct ce_error *err)
{
	char tmp[PATH_MAX];
	_cleanup_close_ int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (archive_dl_load(err) < 0)
		return -1;
	if (cwd < 0)
		return ce_error_set(err, errno, "open the working directory");
	if (img_temp_dir(store, "trees", tmp, sizeof(tmp), err) < 0)
		return -1;
	if (chmod(tmp, 0755) < 0 || chdir(tmp) < 0)
		rc = ce_error_set(err, errno, "%s", tmp);
	else
		rc = apply_all(store, m, caps, progress, tmp, err);
	if (fchdir(cwd) < 0 && rc == 0)
		rc = ce_error_set(err, errno, "back to the working directory");
	if (rc == 0 && rename(tmp, tree) < 0 && errno != ENOTEMPTY && errno != EEXIST)
		rc = ce_error_set(err, errno, "rename %s to %s", tmp, tree);
	fs_remove_tree(tmp);	/* gone after a rename; all a failed unpack wrote */
	return rc;
}
