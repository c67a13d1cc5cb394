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

#include "image/image.h"
#include "runtime/launch/rootfs_cache.h"
#include "util/archive_dl.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/sha256.h"

/* Unpack into a fresh temporary dir beside final, then rename it into place. The temporary name
 * says whose it is (.unpack-<pid>-<starttime>-), so a later cengine removes it if we are killed. */
static int unpack_aside(struct archive_budget *b, const char *cache, const char *final, struct ce_error *err)
{
	char tmp[512], prefix[64];
	_cleanup_close_ int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (archive_dl_load(err) < 0)
		return ce_error_wrap(err, "%s", b->name);
	rootfs_cache_temp_prefix(prefix, sizeof(prefix));
	snprintf(tmp, sizeof(tmp), "%s/%sXXXXXX", cache, prefix);
	if (cwd < 0 || !mkdtemp(tmp))
		return ce_error_set(err, errno, "mkdtemp in %s", cache);
	if (chmod(tmp, 0755) < 0 || chdir(tmp) < 0) {
		ce_error_set(err, errno, "%s", tmp);
		rc = -1;
	} else {
		rc = archive_extract_here(b->name, b, NULL, err);
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
	struct archive_budget b = { .name = tarball, .max_size = lim->max_size, .max_entries = lim->max_entries };
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

/* The store's tree of c's image (runtime_images_prepare put it in c->rootfs), under the store's
 * shared lock: an rmi and prune between the two are told apart from a tree in use. */
static int image_tree(const struct container *c, char *out, size_t len, int *lock, struct ce_error *err)
{
	const char *store = image_store_dir(err);

	if (!store || (*lock = image_store_lock(store, false, err)) < 0)
		return -1;
	if (!c->rootfs || access(c->rootfs, F_OK) < 0) {
		close(*lock);
		*lock = -1;
		return ce_error_set(err, ENOENT, "image %s: its tree is not in the store (removed by prune?)", c->image);
	}
	snprintf(out, len, "%s", c->rootfs);
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
	case ROOTFS_IMAGE:
		return image_tree(c, out, len, lock, err);
	case ROOTFS_DIR:
	default:
		snprintf(out, len, "%s", c->rootfs);
		return 0;
	}
}

int rootfs_state_dirs(const char *dir, const struct idmap *m, struct ce_error *err)
{
	if (m->on && chmod(dir, 0711) < 0)
		return ce_error_set(err, errno, "chmod %s", dir);
	return 0;
}
