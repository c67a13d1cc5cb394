/* SPDX-License-Identifier: MIT */
/* archive_dl.h: libarchive, opened with dlopen() the first time a tarball rootfs is unpacked. */
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include "util/error.h"
#include "util/lib_dl.h"

/* The libarchive functions cengine calls, each as lib_dl_<name> once archive_dl_load() succeeded. */
#define ARCHIVE_DL_FUNCTIONS(F) \
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
