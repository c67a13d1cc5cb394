/* SPDX-License-Identifier: MIT */
/* nftnl_dl.c: libnftnl and libmnl, opened with dlopen() the first time down deletes a project's tables. */
#include "net/nftnl_dl.h"

LIB_DL_LIBRARY(libmnl, MNL_DL_FUNCTIONS, "libmnl", LIBMNL_SONAME, LIBMNL_PACKAGE,
	       "removing a bridge network's nftables tables")
LIB_DL_LIBRARY(libnftnl, NFTNL_DL_FUNCTIONS, "libnftnl", LIBNFTNL_SONAME, LIBNFTNL_PACKAGE,
	       "removing a bridge network's nftables tables")

int nftnl_dl_load(struct ce_error *err)
{
	if (lib_dl_load(&libmnl, err) < 0)
		return -1;
	return lib_dl_load(&libnftnl, err);
}
