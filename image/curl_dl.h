/* SPDX-License-Identifier: MIT */
/* curl_dl.h: libcurl, opened with dlopen() the first time an image is pulled from a registry. */
#pragma once

#include <curl/curl.h>

#include "util/error.h"
#include "util/lib_dl.h"

/* The libcurl functions cengine calls, each as lib_dl_<name> once curl_dl_load() succeeded. */
#define CURL_DL_FUNCTIONS(F) \
	F(curl_easy_init) \
	F(curl_easy_cleanup) \
	F(curl_easy_setopt) \
	F(curl_easy_perform) \
	F(curl_easy_getinfo) \
	F(curl_easy_reset) \
	F(curl_easy_strerror) \
	F(curl_easy_escape) \
	F(curl_free) \
	F(curl_global_init) \
	F(curl_slist_append) \
	F(curl_slist_free_all)

CURL_DL_FUNCTIONS(LIB_DL_EXTERN)

/* 0 once libcurl is loaded and initialised; -1 with what to install in err. */
int curl_dl_load(struct ce_error *err);
