/* SPDX-License-Identifier: MIT */
/* lib_dl.c: dlopen() of an optional shared library and dlsym() of a table of its functions. */
#include "util/lib_dl.h"

#include <dlfcn.h>

/* NULL, or dlerror()'s message for the first function that is missing. */
static const char *resolve_all(void *handle, const struct lib_dl_sym *syms, size_t n_syms)
{
	for (size_t i = 0; i < n_syms; i++) {
		dlerror();
		*syms[i].address = dlsym(handle, syms[i].name);
		if (!*syms[i].address)
			return dlerror() ?: syms[i].name;
	}
	return NULL;
}

int lib_dl_load(struct lib_dl *lib, struct ce_error *err)
{
	const char *why = NULL;
	void *handle;

	if (lib->handle)
		return 0;
	handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (handle)
		why = resolve_all(handle, lib->syms, lib->n_syms);
	else
		why = dlerror();
	if (why) {
		ce_error_set(err, 0, "%s needs %s (%s): %s; install %s", lib->needed_for, lib->name, lib->soname,
			     why, lib->package);
		if (handle)
			dlclose(handle);	/* after the message is copied: dlclose() may free it */
		return -1;
	}
	lib->handle = handle;
	return 0;
}
