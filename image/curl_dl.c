/* SPDX-License-Identifier: MIT */
/* curl_dl.c: libcurl, opened with dlopen() the first time an image is pulled from a registry. */
#include "image/curl_dl.h"

LIB_DL_LIBRARY(libcurl, CURL_DL_FUNCTIONS, "libcurl", LIBCURL_SONAME, LIBCURL_PACKAGE,
	       "pulling an image from a registry")

int curl_dl_load(struct ce_error *err)
{
	static int initialised;

	if (lib_dl_load(&libcurl, err) < 0)
		return -1;
	if (!initialised && lib_dl_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return ce_error_set(err, 0, "libcurl (%s) failed to initialise", LIBCURL_SONAME);
	initialised = 1;
	return 0;
}
