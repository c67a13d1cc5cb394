/* SPDX-License-Identifier: MIT */
/* environ.c: the environment given to a container's processes. */
#include "runtime/inside/environ.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char default_path[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

char **runtime_environ(const struct container *c, bool with_term)
{
	size_t n_env = 0, n = 0, size = 0;
	const char *term = getenv("TERM");
	char **v, *text;

	while (c->env && c->env[n_env])
		n_env++;
	/* one block: the pointer array, then the strings it points to */
	size = (n_env + 5) * sizeof(char *) + sizeof(default_path) + 16 + CE_HOSTNAME_MAX + 16 + 64;
	v = calloc(1, size);
	if (!v)
		return NULL;
	text = (char *)(v + n_env + 5);
	v[n++] = strcpy(text, default_path);
	text += strlen(text) + 1;
	v[n++] = strcpy(text, "HOME=/root");
	text += strlen(text) + 1;
	v[n++] = text;
	text += sprintf(text, "HOSTNAME=%s", c->hostname) + 1;
	if (with_term) {
		v[n++] = text;
		text += snprintf(text, 64, "TERM=%s", term && strlen(term) < 50 ? term : "xterm") + 1;
	}
	for (size_t i = 0; i < n_env; i++)
		v[n++] = c->env[i];	/* later entries win in getenv() only if unique: parser dedups */
	v[n] = NULL;
	return v;
}
