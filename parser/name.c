/* SPDX-License-Identifier: MIT */
/* name.c: the project name of a file, even one that no longer parses (for down and ps). */
#include "parser/name.h"

#include <errno.h>
#include <stdbool.h>
#include <libconfig.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model/naming.h"
#include "parser/source.h"

static void from_file_name(const char *path, char *out, size_t len)
{
	char copy[4096], *base;
	size_t n;

	snprintf(copy, sizeof(copy), "%s", path);
	base = basename(copy);
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".conf"))
		base[n - 5] = '\0';
	snprintf(out, len, "%s", base);
}

int parser_project_name(const char *target, char *out, size_t len, struct ce_error *err)
{
	struct source src = { 0 };
	config_t cfg;
	const char *name = NULL;

	if (access(target, F_OK) < 0) {
		if (!naming_project_valid(target))
			return ce_error_set(err, ENOENT, "%s: no such file or project", target);
		snprintf(out, len, "%s", target);
		return 0;
	}
	/* read as parser_load() reads it: a FIFO, a device or a huge file falls back to the file name */
	config_init(&cfg);
	if (pv_source_read(target, &src, NULL) == 0 && pv_source_parse(&src, &cfg, NULL) == 0 &&
	    config_lookup_string(&cfg, "name", &name) && naming_project_valid(name))
		snprintf(out, len, "%s", name);
	else
		from_file_name(target, out, len);
	config_destroy(&cfg);
	pv_source_free(&src);
	if (!naming_project_valid(out))
		return ce_error_set(err, EINVAL, "%s: cannot tell the project name", target);
	return 0;
}
