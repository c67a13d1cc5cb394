/* SPDX-License-Identifier: MIT */
/* nft_dl.c: libnftables, opened with dlopen() the first time a network with nat = true needs its table. */
#include "net/nft_dl.h"

NFT_DL_FUNCTIONS(LIB_DL_DEFINE)

static const struct lib_dl_sym nft_syms[] = { NFT_DL_FUNCTIONS(LIB_DL_SYM) };

int nft_dl_load(struct ce_error *err)
{
	static struct lib_dl libnftables = {
		.name = "libnftables", .soname = LIBNFTABLES_SONAME, .package = LIBNFTABLES_PACKAGE,
		.needed_for = "a network with nat = true",
		.syms = nft_syms, .n_syms = LIB_DL_N_SYMS(nft_syms),
	};

	return lib_dl_load(&libnftables, err);
}
