/* SPDX-License-Identifier: MIT */
/* strv.c: NULL-terminated string vectors (argv/envp style) used by the project model. */
#include "model/strv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t strv_length(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

int strv_push(char ***v, const char *s)
{
	size_t n = strv_length(*v);
	char *dup = strdup(s);
	char **grown;

	if (!dup)
		return -1;
	grown = realloc(*v, (n + 2) * sizeof(*grown));
	if (!grown) {
		free(dup);
		errno = ENOMEM;
		return -1;
	}
	grown[n] = dup;
	grown[n + 1] = NULL;
	*v = grown;
	return 0;
}

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **i = v; *i; i++)
		free(*i);
	free(v);
}
