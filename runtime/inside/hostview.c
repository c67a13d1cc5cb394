/* SPDX-License-Identifier: MIT */
/* hostview.c: rootfs "host": what of the host's own tree a container sees (its programs and what any user of the host may read in /etc). */
#include "runtime/inside/hostview.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/inside/fdmount.h"
#include "runtime/inside/resolve.h"
#include "util/cleanup.h"

/* Top-level names shown as the host has them: its programs, libraries and configuration (filtered). */
static const char *const shown[] = { "usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc" };
/* Mounted afresh by the container's setup. */
static const char *const set_up_later[] = { "proc", "sys", "dev" };
/* Fresh, empty and the container's to write. */
static const struct { const char *name; mode_t mode; } fresh[] = {
	{ "run", 0755 }, { "tmp", 01777 }, { "root", 0700 }, { "var", 0755 },
};
/* In /etc: replaced by the container's own later (container.c), so never covered here. */
static const char *const etc_written[] = { "hosts", "hostname" };
/* In /etc: hidden whatever their modes (fnmatch patterns, relative to /etc). Kept in step with man/cengine.conf.5. */
static const char *const etc_secrets[] = {
	"shadow", "shadow-", "gshadow", "gshadow-", "sudoers", "sudoers.d", "ssh/ssh_host_*_key",
	"security/opasswd", "machine-id",
};

#define EMPTY_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)
#define ETC_DEPTH 16

static bool listed(const char *name, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!fnmatch(v[i], name, FNM_PATHNAME))
			return true;
	return false;
}

/* Cover the entry NAME of DIR (type MODE): an empty read-only tmpfs on a directory, /dev/null on anything else. */
static int cover(int dir, const char *name, mode_t mode, const char *shown_as, struct ce_error *err)
{
	_cleanup_close_ int target = resolve_object(dir, name, false, err), null = -1, mnt = -1;

	if (target < 0)
		return -1;
	if (S_ISDIR(mode)) {
		mnt = fdmount_new("tmpfs", "hidden", "size=0,mode=0755", EMPTY_ATTRS, err);
	} else {
		null = open("/dev/null", O_PATH | O_CLOEXEC);	/* the host's, before pivot_root */
		mnt = null < 0 ? ce_error_set(err, errno, "/dev/null") : fdmount_clone(null, false, 0, err);
	}
	if (mnt < 0 || fdmount_attach(mnt, target, shown_as, err) < 0)
		return ce_error_wrap(err, "hide %s", shown_as);
	return 0;
}

/* The entries of dir (an O_RDONLY directory fd), one call of fn each until it fails. */
static int each_entry(int dir, int (*fn)(int dir, const char *name, const struct stat *st, void *arg), void *arg)
{
	DIR *d = fdopendir(dup(dir));
	struct dirent *e;
	struct stat st;
	int rc = 0;

	if (!d)
		return -1;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		/* an entry that cannot be looked at cannot be judged: fail, do not show it */
		rc = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -1 : fn(dirfd(d), e->d_name, &st, arg);
	}
	closedir(d);
	return rc;
}

static int open_listing(int dir, const char *name, struct ce_error *err)
{
	_cleanup_close_ int path = resolve_dir(dir, name, false, err);
	int fd = path < 0 ? -1 : openat(path, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (path >= 0 && fd < 0)
		ce_error_set(err, errno, "/%s", name);
	return fd;
}

struct etc_walk {
	char rel[512];		/* the path below /etc of the directory being read ("" for /etc) */
	int depth;
	struct ce_error *err;
};

/* What any user of the host may read: a file readable by "other", a directory it may list and enter. */
static bool world_readable(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return (st->st_mode & (S_IROTH | S_IXOTH)) == (S_IROTH | S_IXOTH);
	return S_ISREG(st->st_mode) && (st->st_mode & S_IROTH);
}

static int etc_entry(int dir, const char *name, const struct stat *st, void *arg)
{
	struct etc_walk *w = arg;
	char rel[sizeof(w->rel)], shown_as[sizeof(w->rel) + 8];
	size_t len = strlen(w->rel);
	int sub, rc;

	if ((size_t)snprintf(rel, sizeof(rel), "%.*s%s%s", (int)len, w->rel, len ? "/" : "", name) >= sizeof(rel))
		return ce_error_set(w->err, ENAMETOOLONG, "/etc/%s/%s", w->rel, name);
	snprintf(shown_as, sizeof(shown_as), "/etc/%s", rel);
	if (S_ISLNK(st->st_mode) || listed(rel, etc_written, sizeof(etc_written) / sizeof(*etc_written)))
		return 0;	/* a link resolves inside the container, to what this view shows */
	/* a directory too deep to judge entry by entry is hidden whole */
	if (!world_readable(st) || listed(rel, etc_secrets, sizeof(etc_secrets) / sizeof(*etc_secrets)) ||
	    (S_ISDIR(st->st_mode) && w->depth >= ETC_DEPTH))
		return cover(dir, name, st->st_mode, shown_as, w->err);
	if (!S_ISDIR(st->st_mode))
		return 0;
	sub = open_listing(dir, name, w->err);
	if (sub < 0)
		return ce_error_wrap(w->err, "/etc");
	snprintf(w->rel, sizeof(w->rel), "%s", rel);
	w->depth++;
	rc = each_entry(sub, etc_entry, w);
	w->depth--;
	w->rel[len] = '\0';
	close(sub);
	return rc;
}

/* /var's first level as the host has it, empty: its directories (same modes) and symlinks. */
static int var_entry(int dir, const char *name, const struct stat *st, void *arg)
{
	int to = *(int *)arg;
	char link[512];
	ssize_t n;

	if (S_ISDIR(st->st_mode))	/* the mode as the host has it (1777 of /var/tmp), not as the umask leaves it */
		return mkdirat(to, name, 0700) < 0 || fchmodat(to, name, st->st_mode & 07777, 0) < 0 ? -1 : 0;
	if (!S_ISLNK(st->st_mode) || (n = readlinkat(dir, name, link, sizeof(link) - 1)) < 0)
		return 0;
	link[n] = '\0';
	return symlinkat(link, to, name);
}

/* A fresh writable tmpfs on the top-level directory NAME (made where missing). */
static int make_fresh(int root, const char *name, mode_t mode, uint64_t size, struct ce_error *err)
{
	char opts[64], shown_as[64];
	_cleanup_close_ int target = resolve_dir(root, name, true, err), old = -1, mnt = -1;

	snprintf(shown_as, sizeof(shown_as), "/%s", name);
	snprintf(opts, sizeof(opts), size ? "mode=%04o,size=%llu" : "mode=%04o", (unsigned int)mode,
		 (unsigned long long)size);
	if (target < 0)
		return -1;
	old = strcmp(name, "var") ? -1 : openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	mnt = fdmount_fs(target, shown_as, "tmpfs", name, opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, err);
	if (mnt < 0)
		return -1;
	/* the covered directory is still readable through the fd taken before */
	if (old >= 0 && each_entry(old, var_entry, &mnt) < 0)
		return ce_error_set(err, errno, "the layout of /var");
	return 0;
}

/* One top-level entry: shown, left for later, fresh, or hidden. */
static int top_entry(int dir, const char *name, const struct stat *st, void *arg)
{
	struct ce_error *err = arg;
	char shown_as[300];

	if (S_ISLNK(st->st_mode) || listed(name, shown, sizeof(shown) / sizeof(*shown)) ||
	    listed(name, set_up_later, sizeof(set_up_later) / sizeof(*set_up_later)))
		return 0;
	for (size_t i = 0; i < sizeof(fresh) / sizeof(*fresh); i++)
		if (!strcmp(name, fresh[i].name))
			return 0;	/* made below, present on the host or not */
	snprintf(shown_as, sizeof(shown_as), "/%s", name);
	return cover(dir, name, st->st_mode, shown_as, err);
}

int hostview_apply(int root, uint64_t size, struct ce_error *err)
{
	_cleanup_close_ int top = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), etc = -1;
	struct etc_walk w = { .rel = "", .err = err };

	if (top < 0)
		return ce_error_set(err, errno, "host rootfs: read /");
	if (each_entry(top, top_entry, err) < 0)
		return err->code ? -1 : ce_error_set(err, errno, "host rootfs: read /");
	for (size_t i = 0; i < sizeof(fresh) / sizeof(*fresh); i++)
		if (make_fresh(root, fresh[i].name, fresh[i].mode, size, err) < 0)
			return ce_error_wrap(err, "host rootfs: fresh /%s", fresh[i].name);
	etc = open_listing(root, "etc", err);
	if (etc < 0 || each_entry(etc, etc_entry, &w) < 0)
		return err->code ? ce_error_wrap(err, "host rootfs") : ce_error_set(err, errno, "host rootfs: read /etc");
	return 0;
}
