/* SPDX-License-Identifier: MIT */
/* archive_dl.h: libarchive, opened with dlopen() the first time a tarball rootfs or an image is unpacked. */
#pragma once

#include <archive.h>
#include <stdint.h>
#include <archive_entry.h>

#include "util/error.h"
#include "util/lib_dl.h"

/* The libarchive functions cengine calls, each as lib_dl_<name> once archive_dl_load() succeeded. */
#define ARCHIVE_DL_FUNCTIONS(F) \
	F(archive_entry_filetype) \
	F(archive_entry_hardlink) \
	F(archive_entry_pathname) \
	F(archive_entry_size) \
	F(archive_entry_size_is_set) \
	F(archive_entry_xattr_next) \
	F(archive_entry_xattr_reset) \
	F(archive_error_string) \
	F(archive_read_data_block) \
	F(archive_read_free) \
	F(archive_read_new) \
	F(archive_read_next_header) \
	F(archive_read_open_filename) \
	F(archive_read_support_filter_all) \
	F(archive_read_support_format_gnutar) \
	F(archive_read_support_format_tar) \
	F(archive_write_data_block) \
	F(archive_write_disk_new) \
	F(archive_write_disk_set_options) \
	F(archive_write_disk_set_standard_lookup) \
	F(archive_write_finish_entry) \
	F(archive_write_free) \
	F(archive_write_header)

ARCHIVE_DL_FUNCTIONS(LIB_DL_EXTERN)

/* 0 once libarchive is loaded; -1 with what to install in err. */
int archive_dl_load(struct ce_error *err);

/* ---- archive_copy.c: an archive unpacked into the current directory, within caps ---- */

/* What an unpack may still write: counted as it writes, so a small archive that expands without
 * bound (a run of zeros compresses a thousandfold) stops at the cap, not at a full disk. One
 * budget may be charged by several archives (an image's layers). */
struct archive_budget {
	const char *name;		/* the archive, for messages */
	uint64_t max_size, max_entries;
	uint64_t size, entries;		/* bytes of file data and extended attributes, and entries, so far */
};

/* Called for each entry before it is written: 0 writes it, 1 skips it, -1 stops with err set. */
typedef int (*archive_entry_fn)(void *ctx, struct archive_entry *e, struct ce_error *err);

struct archive_hooks {
	archive_entry_fn before;	/* NULL: every entry is written */
	void *ctx;
};

/* Unpack file (tar, any filter libarchive knows: gzip, xz, zstd...; called b->name in errors) into the current directory,
 * with relative names so that libarchive's SECURE checks see the archive's own paths: an entry
 * with "..", an absolute path or a path through a symbolic link is refused, as is one that
 * would take b past its caps. Owners, modes, times, xattrs and ACLs are kept; file flags are not.
 * 0, or -1 with err set (it may quote entry names: escape it before printing). libarchive must
 * be loaded (archive_dl_load). */
int archive_extract_here(const char *file, struct archive_budget *b, const struct archive_hooks *h,
			 struct ce_error *err);
