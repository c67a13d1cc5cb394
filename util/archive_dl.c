/* SPDX-License-Identifier: MIT */
/* archive_dl.c: libarchive, opened with dlopen() the first time a tarball rootfs or an image is unpacked. */
#include "util/archive_dl.h"

LIB_DL_LIBRARY(libarchive, ARCHIVE_DL_FUNCTIONS, "libarchive", LIBARCHIVE_SONAME, LIBARCHIVE_PACKAGE,
	       "unpacking a tarball rootfs or an image")

int archive_dl_load(struct ce_error *err)
{
	return lib_dl_load(&libarchive, err);
}
