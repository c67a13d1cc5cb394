/* SPDX-License-Identifier: MIT */
/* execopts.c: the environment of `exec -e KEY=VAL`: the container's, with the given entries added or replaced. */
#include "runtime/inside/execopts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

static size_t count(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static bool same_key(const char *a, const char *b)
{
	size_t ka = strcspn(a, "="), kb = strcspn(b, "=");

	return ka == kb && !strncmp(a, b, ka);
}

char **exec_environ(char **envp, char *const *extra)
{
	size_t n = count(envp), m = count(extra);
	char **v = calloc(n + m + 1, sizeof(*v));

	if (!v)
		return NULL;
	memcpy(v, envp, n * sizeof(*v));
	for (size_t i = 0; i < m; i++) {
		size_t k = 0;

		while (k < n && !same_key(v[k], extra[i]))
			k++;
		v[k] = extra[i];
		if (k == n)
			n++;
	}
	v[n] = NULL;
	return v;
}

int exec_opts_terminal(struct exec_opts *o)
{
	if (!o || !o->tty)
		return 0;
	return pty_make_controlling(&o->pty);
}

int exec_opts_apply(const struct exec_opts *o, char ***envp)
{
	char **merged;

	if (!o)
		return 0;
	if (o->env) {
		merged = exec_environ(*envp, o->env);
		if (!merged)
			return -1;
		*envp = merged;	/* the child execs or exits: nothing to free */
	}
	if (o->workdir && chdir(o->workdir) < 0) {
		fprintf(stderr, "cengine: -w %s: %s\n", o->workdir, strerror(errno));
		return -1;
	}
	return 0;
}
