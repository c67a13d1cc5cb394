/* SPDX-License-Identifier: MIT */
/* rootfs.c: rootfs sources; tarballs unpacked once with libarchive into a content-addressed cache, atomically, within caps. */
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
#include "runtime/launch/rootfs_cache.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/sha256.h"

/* Not ARCHIVE_EXTRACT_FFLAGS: an immutable or append-only flag from the archive would make the tree
 * impossible to remove (by a failed unpack's cleanup, by prune), and a rootfs has no use for one. */
#define EXTRACT_FLAGS (ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | \
		       ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL | \
		       ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS | \
		       ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS)

/* What an unpack may still write: counted as it writes, so a small archive that expands without
 * bound (a run of zeros compresses a thousandfold) stops at the cap, not at a full disk. */
struct budget {
	const char *tarball;
	uint64_t max_size, max_entries;
	uint64_t size, entries;	/* bytes of file data and extended attributes, and entries, so far */
};

static int too_big(const struct budget *b, struct ce_error *err)
{
	return ce_error_set(err, 0, "%s: refused: it unpacks to more than %llu bytes (unpack_max_size)", b->tarball,
			    (unsigned long long)b->max_size);
}

static int charge(struct budget *b, uint64_t bytes, struct ce_error *err)
{
	if (bytes > b->max_size - b->size)
		return too_big(b, err);
	b->size += bytes;
	return 0;
}

/* One more entry, with what its header says it holds: refused before anything of it is written. */
static int admit(struct budget *b, struct archive_entry *e, struct ce_error *err)
{
	const char *name;
	const void *value;
	size_t len;
	uint64_t xattrs = 0;

	if (++b->entries > b->max_entries)
		return ce_error_set(err, 0, "%s: refused: it has more than %llu entries (unpack_max_entries)",
				    b->tarball, (unsigned long long)b->max_entries);
	lib_dl_archive_entry_xattr_reset(e);
	while (lib_dl_archive_entry_xattr_next(e, &name, &value, &len) == ARCHIVE_OK)
		xattrs += strlen(name) + len;
	if (charge(b, xattrs, err) < 0)
		return -1;
	if (lib_dl_archive_entry_size_is_set(e) && lib_dl_archive_entry_size(e) > 0 &&
	    (uint64_t)lib_dl_archive_entry_size(e) > b->max_size - b->size)
		return too_big(b, err);	/* its data is charged as it is written */
	return 0;
}

static int copy_data(struct archive *in, struct archive *out, struct archive_entry *e, struct budget *b,
		     struct ce_error *err)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = lib_dl_archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK) {
		if (charge(b, size, err) < 0)
			return -1;
		if (lib_dl_archive_write_data_block(out, buf, size, off) < ARCHIVE_WARN)
			return ce_error_set(err, 0, "%s: write %s: %s", b->tarball, lib_dl_archive_entry_pathname(e),
					    lib_dl_archive_error_string(out));
	}
	if (r < ARCHIVE_WARN)
		return ce_error_set(err, 0, "%s: read %s: %s", b->tarball, lib_dl_archive_entry_pathname(e),
				    lib_dl_archive_error_string(in));
	return 0;
}

static int copy_entries(struct archive *in, struct archive *out, struct budget *b, struct ce_error *err)
{
	struct archive_entry *e;
	int r;

	while ((r = lib_dl_archive_read_next_header(in, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (admit(b, e, err) < 0)
			return -1;
		if (lib_dl_archive_write_header(out, e) < ARCHIVE_WARN)
			return ce_error_set(err, 0, "%s: entry \"%s\" refused: %s", b->tarball,
					    lib_dl_archive_entry_pathname(e), lib_dl_archive_error_string(out));
		if (copy_data(in, out, e, b, err) < 0)
			return -1;
		if (lib_dl_archive_write_finish_entry(out) < ARCHIVE_WARN)
			return ce_error_set(err, 0, "%s: %s: %s", b->tarball, lib_dl_archive_entry_pathname(e),
					    lib_dl_archive_error_string(out));
	}
	if (r != ARCHIVE_EOF)
		return ce_error_set(err, 0, "%s: %s", b->tarball, lib_dl_archive_error_string(in));
	return 0;
}

/* Unpack into the current directory (relative names, so the SECURE_* checks see the archive's own paths). */
static int extract_here(struct budget *b, struct ce_error *err)
{
	struct archive *in = lib_dl_archive_read_new(), *out = lib_dl_archive_write_disk_new();
	int rc = -1;

	if (!in || !out) {
		ce_error_set(err, ENOMEM, "%s", b->tarball);
		goto on_error;
	}
	lib_dl_archive_read_support_filter_all(in);
	lib_dl_archive_read_support_format_tar(in);
	lib_dl_archive_read_support_format_gnutar(in);
	lib_dl_archive_write_disk_set_options(out, EXTRACT_FLAGS);
	lib_dl_archive_write_disk_set_standard_lookup(out);
	if (lib_dl_archive_read_open_filename(in, b->tarball, 65536) != ARCHIVE_OK)
		ce_error_set(err, 0, "%s: %s", b->tarball, lib_dl_archive_error_string(in));
	else
		rc = copy_entries(in, out, b, err);
on_error:
	lib_dl_archive_read_free(in);
	lib_dl_archive_write_free(out);
	return rc;
}

/* Unpack into a fresh temporary dir beside final, then rename it into place. The temporary name
 * says whose it is (.unpack-<pid>-<starttime>-), so a later cengine removes it if we are killed. */
static int unpack_aside(struct budget *b, const char *cache, const char *final, struct ce_error *err)
{
	char tmp[512], prefix[64];
	_cleanup_close_ int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (archive_dl_load(err) < 0)
		return ce_error_wrap(err, "%s", b->tarball);
	rootfs_cache_temp_prefix(prefix, sizeof(prefix));
	snprintf(tmp, sizeof(tmp), "%s/%sXXXXXX", cache, prefix);
	if (cwd < 0 || !mkdtemp(tmp))
		return ce_error_set(err, errno, "mkdtemp in %s", cache);
	if (chmod(tmp, 0755) < 0 || chdir(tmp) < 0) {
		ce_error_set(err, errno, "%s", tmp);
		rc = -1;
	} else {
		rc = extract_here(b, err);
	}
	if (fchdir(cwd) < 0 && rc == 0)
		rc = ce_error_set(err, errno, "back to the working directory");
	if (rc == 0 && rename(tmp, final) < 0 && errno != ENOTEMPTY && errno != EEXIST)
		rc = ce_error_set(err, errno, "rename %s to %s", tmp, final);
	fs_remove_tree(tmp);	/* gone after a rename; the loser's copy, or all a failed unpack wrote */
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

int rootfs_unpack(const char *tarball, const char *cache, const struct rootfs_caps *lim, char *out, size_t len,
		  struct ce_error *err)
{
	_cleanup_close_ int fd = open(tarball, O_RDONLY | O_CLOEXEC);
	struct budget b = { .tarball = tarball, .max_size = lim->max_size, .max_entries = lim->max_entries };
	char hex[65];
	struct stat file, st;
	int known;

	if (fd < 0 || fstat(fd, &file) < 0)
		return ce_error_set(err, errno, "rootfs %s", tarball);
	known = memo_lookup(&file, cache, hex);
	if (!known && sha256_file(fd, hex) < 0)
		return ce_error_set(err, errno, "rootfs %s", tarball);
	snprintf(out, len, "%s/%s", cache, hex);
	rootfs_cache_clean_stale(cache);	/* what a killed unpack left, of this tarball or another */
	if (stat(out, &st) < 0 && unpack_aside(&b, cache, out, err) < 0)
		return ce_error_wrap_untrusted(err, "rootfs");	/* it quotes the archive's entry names */
	if (!known)
		memo_save(&file, cache, hex);	/* only for a tree that is in place */
	return 0;
}

int rootfs_prepare(const struct container *c, char *out, size_t len, int *lock, struct ce_error *err)
{
	struct rootfs_caps caps;
	const char *cache;

	*lock = -1;
	switch (c->rootfs_kind) {
	case ROOTFS_HOST:
		snprintf(out, len, "/");
		return 0;
	case ROOTFS_TARBALL:
		cache = rootfs_cache_dir(err);
		if (!cache || (*lock = rootfs_cache_lock(cache, false, err)) < 0)
			return -1;
		caps = (struct rootfs_caps){ container_unpack_max_size(c), container_unpack_max_entries(c) };
		if (rootfs_unpack(c->rootfs, cache, &caps, out, len, err) == 0)
			return 0;
		close(*lock);
		*lock = -1;
		return -1;
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
