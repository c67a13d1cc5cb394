/* SPDX-License-Identifier: MIT */
/* nft_dl.h: libnftables, opened with dlopen() the first time a project needs its tables. */
#pragma once

#include <nftables/libnftables.h>

#include "util/error.h"
#include "util/lib_dl.h"

/* The libnftables functions cengine calls, each as lib_dl_<name> once nft_dl_load() succeeded. */
#define NFT_DL_FUNCTIONS(F) \
	F(nft_ctx_buffer_error) \
	F(nft_ctx_buffer_output) \
	F(nft_ctx_free) \
	F(nft_ctx_get_error_buffer) \
	F(nft_ctx_get_output_buffer) \
	F(nft_ctx_new) \
	F(nft_ctx_output_set_flags) \
	F(nft_run_cmd_from_buffer)

NFT_DL_FUNCTIONS(LIB_DL_EXTERN)

/* 0 once libnftables is loaded; -1 with what to install in err. */
int nft_dl_load(struct ce_error *err);
