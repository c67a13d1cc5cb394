/* SPDX-License-Identifier: MIT */
/* rootfs.c: rootfs sources; tarballs unpacked once with libarchive into a content-addressed cache, atomically. */
#include "runtime/launch/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/launch/archive_dl.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/sha256.h"

#define EXTRACT_FLAGS (ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | \
		       ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_FFLAGS | \
		       ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS | \
		       ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS)

static int mkdir_p(const char *path, struct ce_error *err)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return ce_error_set(err, errno, "mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return ce_error_set(err, errno, "mkdir %s", buf);
	return 0;
}

/* Text from the archive (an entry's name, or libarchive's message, which may quote one) as it may be
 * printed on one line of a terminal: control bytes, DEL and backslashes escaped (\n, \x1b, \\). */
static const char *printable(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && o + 5 < len; p++) {
		if (*p == '\\' || *p == '\n')
			o += (size_t)snprintf(out + o, len - o, "\\%c", *p == '\n' ? 'n' : '\\');
		else if (*p < 0x20 || *p == 0x7f)
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
	return out;
}

/* One refused or failed entry: "TARBALL: WHAT "NAME": WHY", both from the archive, escaped. */
static int entry_error(struct ce_error *err, const char *tarball, const char *what, struct archive_entry *e,
		       const char *why)
{
	char name[256], reason[256];

	return ce_error_set(err, 0, "%s: %s \"%s\"%s: %s", tarball, what,
			    printable(lib_dl_archive_entry_pathname(e), name, sizeof(name)),
			    strcmp(what, "entry") ? "" : " refused", printable(why, reason, sizeof(reason)));
}

static int copy_entries(struct archive *in, struct archive *out, const char *tarball, struct ce_error *err)
{
	struct archive_entry *e;
	char why[256];
	int r;

	while ((r = lib_dl_archive_read_next_header(in, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const void *buf;
		size_t size;
		la_int64_t off;

		if (lib_dl_archive_write_header(out, e) < ARCHIVE_WARN)
			return entry_error(err, tarball, "entry", e, lib_dl_archive_error_string(out));
		while ((r = lib_dl_archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK)
			if (lib_dl_archive_write_data_block(out, buf, size, off) < ARCHIVE_WARN)
				return entry_error(err, tarball, "write", e, lib_dl_archive_error_string(out));
		if (r < ARCHIVE_WARN)
			return entry_error(err, tarball, "read", e, lib_dl_archive_error_string(in));
		if (lib_dl_archive_write_finish_entry(out) < ARCHIVE_WARN)
			return entry_error(err, tarball, "finish", e, lib_dl_archive_error_string(out));
	}
	if (r != ARCHIVE_EOF)
		return ce_error_set(err, 0, "%s: %s", tarball, printable(lib_dl_archive_error_string(in), why, sizeof(why)));
	return 0;
}

/* Unpack into the current directory (relative names, so the SECURE_* checks see the archive's own paths). */
static int extract_here(const char *tarball, struct ce_error *err)
{
	struct archive *in = lib_dl_archive_read_new(), *out = lib_dl_archive_write_disk_new();
	int rc = -1;

	if (!in || !out) {
		ce_error_set(err, ENOMEM, "%s", tarball);
		goto on_error;
	}
	lib_dl_archive_read_support_filter_all(in);
	lib_dl_archive_read_support_format_tar(in);
	lib_dl_archive_read_support_format_gnutar(in);
	lib_dl_archive_write_disk_set_options(out, EXTRACT_FLAGS);
	lib_dl_archive_write_disk_set_standard_lookup(out);
	if (lib_dl_archive_read_open_filename(in, tarball, 65536) != ARCHIVE_OK)
		ce_error_set(err, 0, "%s: %s", tarball, lib_dl_archive_error_string(in));
	else
		rc = copy_entries(in, out, tarball, err);
on_error:
	lib_dl_archive_read_free(in);
	lib_dl_archive_write_free(out);
	return rc;
}

/* Unpack into a fresh temporary dir beside final, then rename it into place. */
static int unpack_aside(const char *tarball, const char *cache, const char *final, struct ce_error *err)
{
	char tmp[512];
	_cleanup_close_ int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (archive_dl_load(err) < 0)
		return ce_error_wrap(err, "%s", tarball);
	snprintf(tmp, sizeof(tmp), "%s/.unpack-XXXXXX", cache);
	if (cwd < 0 || !mkdtemp(tmp))
		return ce_error_set(err, errno, "mkdtemp in %s", cache);
	if (chmod(tmp, 0755) < 0 || chdir(tmp) < 0) {
		ce_error_set(err, errno, "%s", tmp);
		rc = -1;
	} else {
		rc = extract_here(tarball, err);
	}
	if (fchdir(cwd) < 0 && rc == 0)
		rc = ce_error_set(err, errno, "back to the working directory");
	if (rc == 0 && rename(tmp, final) < 0 && errno != ENOTEMPTY && errno != EEXIST)
		rc = ce_error_set(err, errno, "rename %s to %s", tmp, final);
	fs_remove_tree(tmp);	/* gone after a rename; the loser's copy otherwise */
	return rc;
}

/* CACHE/.stat-DEV-INO-SIZE-MTIME: a symlink to the hash of the file with that identity,
 * so an unchanged tarball is hashed once, not at every up of every container. */
static void memo_name(const char *cache, const struct stat *st, char *out, size_t len)
{
	snprintf(out, len, "%s/.stat-%llx-%llx-%llx-%lld.%09ld", cache, (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino, (unsigned long long)st->st_size, (long long)st->st_mtim.tv_sec,
		 st->st_mtim.tv_nsec);
}

/* The remembered hash of the file behind fd (1), or none (0). */
static int memo_lookup(const struct stat *st, const char *cache, char hex[65])
{
	char memo[512];

	memo_name(cache, st, memo, sizeof(memo));
	if (readlink(memo, hex, 64) != 64)
		return 0;
	hex[64] = '\0';
	return 1;
}

static void memo_save(const struct stat *st, const char *cache, const char *hex)
{
	char memo[512], tmp[560];

	memo_name(cache, st, memo, sizeof(memo));
	snprintf(tmp, sizeof(tmp), "%s.%d", memo, (int)getpid());
	if (symlink(hex, tmp) == 0 && rename(tmp, memo) < 0)
		unlink(tmp);
}

int rootfs_unpack(const char *tarball, const char *cache, char *out, size_t len, struct ce_error *err)
{
	_cleanup_close_ int fd = open(tarball, O_RDONLY | O_CLOEXEC);
	char hex[65];
	struct stat file, st;
	int known;

	if (fd < 0 || fstat(fd, &file) < 0)
		return ce_error_set(err, errno, "rootfs %s", tarball);
	if (mkdir_p(cache, err) < 0)
		return -1;
	known = memo_lookup(&file, cache, hex);
	if (!known && sha256_file(fd, hex) < 0)
		return ce_error_set(err, errno, "rootfs %s", tarball);
	snprintf(out, len, "%s/%s", cache, hex);
	if (stat(out, &st) < 0 && unpack_aside(tarball, cache, out, err) < 0)
		return ce_error_wrap(err, "rootfs");
	if (!known)
		memo_save(&file, cache, hex);	/* only for a tree that is in place */
	return 0;
}

int rootfs_prepare(const struct container *c, char *out, size_t len, struct ce_error *err)
{
	switch (c->rootfs_kind) {
	case ROOTFS_HOST:
		snprintf(out, len, "/");
		return 0;
	case ROOTFS_TARBALL:
		return rootfs_unpack(c->rootfs, ROOTFS_CACHE, out, len, err);
	case ROOTFS_DIR:
	default:
		snprintf(out, len, "%s", c->rootfs);
		return 0;
	}
}

int rootfs_state_dirs(const char *dir, const struct idmap *m, struct ce_error *err)
{
	static const char *const owned[] = { "root", "lower", "rw" };
	char path[512];

	for (size_t i = 1; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, owned[i]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return ce_error_set(err, errno, "mkdir %s", path);
	}
	if (!m->on)
		return 0;
	if (chmod(dir, 0711) < 0)
		return ce_error_set(err, errno, "chmod %s", dir);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, owned[i]);
		if (chown(path, m->uid, m->gid) < 0)
			return ce_error_set(err, errno, "chown %s", path);
	}
	return 0;
}
