/* SPDX-License-Identifier: MIT */
/* archive_copy.c: an archive unpacked into the current directory by libarchive, within a budget of bytes and entries. */
#include "util/archive_dl.h"

#include <errno.h>
#include <string.h>

/* Not ARCHIVE_EXTRACT_FFLAGS: an immutable or append-only flag from the archive would make the tree
 * impossible to remove (by a failed unpack's cleanup, by prune), and a rootfs has no use for one. */
#define EXTRACT_FLAGS (ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | \
		       ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL | \
		       ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS | \
		       ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS)

static int too_big(const struct archive_budget *b, struct ce_error *err)
{
	return ce_error_set(err, 0, "%s: refused: it unpacks to more than %llu bytes (unpack_max_size)", b->name,
			    (unsigned long long)b->max_size);
}

static int charge(struct archive_budget *b, uint64_t bytes, struct ce_error *err)
{
	if (bytes > b->max_size - b->size)
		return too_big(b, err);
	b->size += bytes;
	return 0;
}

/* One more entry, with what its header says it holds: refused before anything of it is written. */
static int admit(struct archive_budget *b, struct archive_entry *e, struct ce_error *err)
{
	const char *name;
	const void *value;
	size_t len;
	uint64_t xattrs = 0;

	if (++b->entries > b->max_entries)
		return ce_error_set(err, 0, "%s: refused: it has more than %llu entries (unpack_max_entries)",
				    b->name, (unsigned long long)b->max_entries);
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

static int copy_data(struct archive *in, struct archive *out, struct archive_entry *e, struct archive_budget *b,
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
			return ce_error_set(err, 0, "%s: write %s: %s", b->name, lib_dl_archive_entry_pathname(e),
					    lib_dl_archive_error_string(out));
	}
	if (r < ARCHIVE_WARN)
		return ce_error_set(err, 0, "%s: read %s: %s", b->name, lib_dl_archive_entry_pathname(e),
				    lib_dl_archive_error_string(in));
	return 0;
}

static int copy_entries(struct archive *in, struct archive *out, struct archive_budget *b,
			const struct archive_hooks *h, struct ce_error *err)
{
	struct archive_entry *e;
	int r, skip;

	while ((r = lib_dl_archive_read_next_header(in, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if ((skip = h && h->before ? h->before(h->ctx, e, err) : 0) < 0)
			return -1;
		if (skip)
			continue;
		if (admit(b, e, err) < 0)
			return -1;
		if (lib_dl_archive_write_header(out, e) < ARCHIVE_WARN)
			return ce_error_set(err, 0, "%s: entry \"%s\" refused: %s", b->name,
					    lib_dl_archive_entry_pathname(e), lib_dl_archive_error_string(out));
		if (copy_data(in, out, e, b, err) < 0)
			return -1;
		if (lib_dl_archive_write_finish_entry(out) < ARCHIVE_WARN)
			return ce_error_set(err, 0, "%s: %s: %s", b->name, lib_dl_archive_entry_pathname(e),
					    lib_dl_archive_error_string(out));
	}
	if (r != ARCHIVE_EOF)
		return ce_error_set(err, 0, "%s: %s", b->name, lib_dl_archive_error_string(in));
	return 0;
}

/* file opened for reading; name is what errors call it. */
static struct archive *open_reader(const char *file, const char *name, struct ce_error *err)
{
	struct archive *in = lib_dl_archive_read_new();

	if (!in) {
		ce_error_set(err, ENOMEM, "%s", name);
		return NULL;
	}
	lib_dl_archive_read_support_filter_all(in);
	lib_dl_archive_read_support_format_tar(in);
	lib_dl_archive_read_support_format_gnutar(in);
	if (lib_dl_archive_read_open_filename(in, file, 65536) != ARCHIVE_OK) {
		ce_error_set(err, 0, "%s: %s", name, lib_dl_archive_error_string(in));
		lib_dl_archive_read_free(in);
		return NULL;
	}
	return in;
}

int archive_extract_here(const char *file, struct archive_budget *b, const struct archive_hooks *h,
			 struct ce_error *err)
{
	struct archive *in = open_reader(file, b->name, err), *out;
	int rc = -1;

	if (!in)
		return -1;
	out = lib_dl_archive_write_disk_new();
	if (!out) {
		lib_dl_archive_read_free(in);
		return ce_error_set(err, ENOMEM, "%s", b->name);
	}
	lib_dl_archive_write_disk_set_options(out, EXTRACT_FLAGS);
	lib_dl_archive_write_disk_set_standard_lookup(out);
	rc = copy_entries(in, out, b, h, err);
	lib_dl_archive_read_free(in);
	lib_dl_archive_write_free(out);
	return rc;
}
