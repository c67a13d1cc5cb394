/* SPDX-License-Identifier: MIT */
/* sources.c: no bind, file or rootfs source through a directory a container can write or a root tree (a symlink planted there would be followed on the host). */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/fixture.h"
#include "parser/internal.h"
#include "util/cleanup.h"

struct pv_host_source {
	const config_setting_t *s;	/* its setting (the same one for every count copy and defaults user) */
	char *path;			/* the setting's path, for the message */
	char *joined;			/* the host path as given, joined to the file's directory, not resolved */
	bool tree;			/* a rootfs: checked against read-write binds only (trees may nest) */
};

/* A directory a container controls: what is in it is not the host user's any more. */
struct writable {
	const char *dir;		/* realpath */
	bool tree;			/* a root tree, not a bind */
	const char *what;		/* "a read-write bind's source" or "the root tree" */
	const char *container;
};

int pv_source_note(struct ctx *ctx, const config_setting_t *s, const char *path, const char *joined, bool tree)
{
	struct pv_host_source *v;

	for (size_t i = 0; i < ctx->n_sources; i++)
		if (ctx->sources[i].s == s)
			return 0;
	if (!(v = realloc(ctx->sources, (ctx->n_sources + 1) * sizeof(*v))))
		return pv_oom(ctx);
	ctx->sources = v;
	v += ctx->n_sources;
	*v = (struct pv_host_source){ s, strdup(path), strdup(joined), tree };
	if (!v->path || !v->joined) {
		free(v->path);
		free(v->joined);
		return pv_oom(ctx);
	}
	ctx->n_sources++;
	return 0;
}

void pv_sources_free(struct ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_sources; i++) {
		free(ctx->sources[i].path);
		free(ctx->sources[i].joined);
	}
	free(ctx->sources);
	ctx->sources = NULL;
	ctx->n_sources = 0;
}

/* a is dir or beneath it (strict: beneath only). */
static bool in_dir(const char *a, const char *dir, bool strict)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return !strict || strcmp(a, "/");
	return !strncmp(a, dir, n) && (a[n] == '/' || (!strict && a[n] == '\0'));
}

/* The directories containers control, each once. */
static size_t writable_dirs(const struct project *p, struct writable *w, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_containers; i++) {
		const struct container *c = &p->containers[i];

		for (size_t k = 0; k <= c->fx.n_binds && n < max; k++) {
			const char *dir = k < c->fx.n_binds ? (c->fx.binds[k].ro ? NULL : c->fx.binds[k].src)
							   : c->rootfs_kind == ROOTFS_DIR && strcmp(c->rootfs, "/") ? c->rootfs : NULL;
			bool seen = !dir;

			for (size_t j = 0; j < n && !seen; j++)
				seen = !strcmp(w[j].dir, dir);
			if (!seen)
				w[n++] = (struct writable){ dir, k == c->fx.n_binds,
							    k < c->fx.n_binds ? "a read-write bind's source" : "the root tree", c->name };
		}
	}
	return n;
}

/* The first of w that src lies in or passes through (each directory on its way, resolved), or NULL. */
static const struct writable *passes(const struct pv_host_source *src, const struct writable *w, size_t n)
{
	_cleanup_free_ char *prefix = strdup(src->joined), *real = realpath(src->joined, NULL);

	for (size_t i = 0; real && i < n; i++)
		if (!(src->tree && w[i].tree) && in_dir(real, w[i].dir, true))
			return &w[i];
	for (char *slash = prefix ? strchr(prefix + 1, '/') : NULL; slash; slash = strchr(slash + 1, '/')) {
		_cleanup_free_ char *dir = NULL;

		*slash = '\0';
		dir = realpath(prefix, NULL);
		*slash = '/';
		for (size_t i = 0; dir && i < n; i++)
			if (!(src->tree && w[i].tree) && in_dir(dir, w[i].dir, false))
				return &w[i];
	}
	return NULL;
}

int pv_sources_check(struct ctx *ctx)
{
	size_t max = 0, n, binds = 0;
	_cleanup_free_ struct writable *w = NULL;

	if (!ctx->n_sources)
		return 0;
	for (size_t i = 0; i < ctx->p->n_containers; i++)
		max += ctx->p->containers[i].fx.n_binds + 1;
	if (!(w = calloc(max, sizeof(*w))))
		return pv_oom(ctx);
	n = writable_dirs(ctx->p, w, max);
	for (size_t i = 0; i < n; i++)
		binds += !w[i].tree;
	for (size_t i = 0; i < ctx->n_sources; i++) {
		const struct pv_host_source *s = &ctx->sources[i];
		const struct writable *hit = s->tree && !binds ? NULL : passes(s, w, n);	/* trees meet binds only */

		if (hit)
			return pv_fail_at(ctx, s->s, s->path, "%s lies in %s, %s of container %s: a symbolic link a "
					  "container puts there would be followed on the host (refused)", s->joined, hit->dir,
					  hit->what, hit->container);
	}
	return 0;
}
