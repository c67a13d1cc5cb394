/* SPDX-License-Identifier: MIT */
/* curl_dl.c: libcurl, opened with dlopen() the first time an image is pulled from a registry. */
#include "image/curl_dl.h"

CURL_DL_FUNCTIONS(LIB_DL_DEFINE)

static const struct lib_dl_sym curl_syms[] = { CURL_DL_FUNCTIONS(LIB_DL_SYM) };

int curl_dl_load(struct ce_error *err)
{
	static struct lib_dl libcurl = {
		.name = "libcurl", .soname = LIBCURL_SONAME, .package = LIBCURL_PACKAGE,
		.needed_for = "pulling an image from a registry",
		.syms = curl_syms, .n_syms = LIB_DL_N_SYMS(curl_syms),
	};
	static int initialised;

	if (lib_dl_load(&libcurl, err) < 0)
		return -1;
	if (!initialised && lib_dl_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return ce_error_set(err, 0, "libcurl (%s) failed to initialise", LIBCURL_SONAME);
	initialised = 1;
	return 0;
}
