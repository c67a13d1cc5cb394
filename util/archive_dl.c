/* SPDX-License-Identifier: MIT */
/* archive_dl.c: libarchive, opened with dlopen() the first time a tarball rootfs or an image is unpacked. */
#include "util/archive_dl.h"

ARCHIVE_DL_FUNCTIONS(LIB_DL_DEFINE)

static const struct lib_dl_sym archive_syms[] = { ARCHIVE_DL_FUNCTIONS(LIB_DL_SYM) };

int archive_dl_load(struct ce_error *err)
{
	static struct lib_dl libarchive = {
		.name = "libarchive", .soname = LIBARCHIVE_SONAME, .package = LIBARCHIVE_PACKAGE,
		.needed_for = "unpacking a tarball rootfs or an image",
		.syms = archive_syms, .n_syms = LIB_DL_N_SYMS(archive_syms),
	};

	return lib_dl_load(&libarchive, err);
}
