/* SPDX-License-Identifier: MIT */
/* lib_dl.h: open an optional shared library with dlopen() on first use and resolve the functions a caller needs. */
#pragma once

#include <stddef.h>

#include "util/error.h"

/* One function to resolve: its name and the pointer that receives its address. */
struct lib_dl_sym {
	const char *name;
	void **address;
};

/* An optional library: what it is and why it is wanted (for the error), its functions, and the handle once open. */
struct lib_dl {
	const char *name;		/* "libarchive" */
	const char *soname;		/* LIBARCHIVE_SONAME, from configure */
	const char *package;		/* LIBARCHIVE_PACKAGE: what to install when it is missing */
	const char *needed_for;		/* "unpacking a tarball rootfs" */
	const struct lib_dl_sym *syms;
	size_t n_syms;
	void *handle;			/* NULL until every function is resolved */
};

/* For a list of function names F(fn): declare, define and resolve lib_dl_<fn>, typed as <fn> in the library's header. */
#define LIB_DL_EXTERN(fn) extern typeof(fn) *lib_dl_##fn;
#define LIB_DL_DEFINE(fn) typeof(fn) *lib_dl_##fn;
#define LIB_DL_SYM(fn) { #fn, (void **)&lib_dl_##fn },
#define LIB_DL_N_SYMS(table) (sizeof(table) / sizeof((table)[0]))

/* Define the lib_dl_<fn> pointers of the list `functions` and a static struct lib_dl `var` that resolves them
 * (load it with lib_dl_load(&var, err)); soname and package come from configure. */
#define LIB_DL_LIBRARY(var, functions, lib_name, lib_soname, lib_package, why)			\
	functions(LIB_DL_DEFINE)								\
	static const struct lib_dl_sym var##_syms[] = { functions(LIB_DL_SYM) };		\
	static struct lib_dl var = {								\
		.name = lib_name, .soname = lib_soname, .package = lib_package, .needed_for = why,	\
		.syms = var##_syms, .n_syms = LIB_DL_N_SYMS(var##_syms),			\
	};

/* Open lib->soname (RTLD_NOW | RTLD_LOCAL) once and resolve every function of lib->syms: 0, or -1 with
 * "<needed_for> needs <name> (<soname>): <dlerror()>; install <package>" in err (the next call tries again). */
int lib_dl_load(struct lib_dl *lib, struct ce_error *err);
