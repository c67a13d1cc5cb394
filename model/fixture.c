/* SPDX-License-Identifier: MIT */
/* fixture.c: releasing what a container's fixture keys (binds, tmpfs, files, devices, sysctls, user, workdir) hold. */
#include "model/fixture.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"

/* Free the n items of size bytes at v, each holding the strings at offsets off[0..n_off), then v. */
static void items_free(void *v, size_t n, size_t size, const size_t *off, size_t n_off)
{
	for (size_t i = 0; v && i < n; i++)
		for (size_t k = 0; k < n_off; k++)
			free(*(char **)((char *)v + i * size + off[k]));
	free(v);
}

#define ITEMS_FREE(v, n, ...)                                                                                   \
	items_free(v, n, sizeof(*(v)), (const size_t[]){ __VA_ARGS__ },                                        \
		   sizeof((const size_t[]){ __VA_ARGS__ }) / sizeof(size_t))

void fixture_binds_free(struct bind *b, size_t n)
{
	ITEMS_FREE(b, n, offsetof(struct bind, src), offsetof(struct bind, dst));
}

void fixture_tmpfs_free(struct tmpfs_mount *t, size_t n)
{
	ITEMS_FREE(t, n, offsetof(struct tmpfs_mount, dst));
}

void fixture_files_free(struct file_spec *f, size_t n)
{
	ITEMS_FREE(f, n, offsetof(struct file_spec, path), offsetof(struct file_spec, content),
		   offsetof(struct file_spec, source));
}

void fixture_sysctls_free(struct sysctl *s, size_t n)
{
	ITEMS_FREE(s, n, offsetof(struct sysctl, key), offsetof(struct sysctl, value));
}

void fixture_clear(struct fixture *f)
{
	fixture_binds_free(f->binds, f->n_binds);
	fixture_tmpfs_free(f->tmpfs, f->n_tmpfs);
	fixture_files_free(f->files, f->n_files);
	strv_free(f->devices);
	fixture_sysctls_free(f->sysctls, f->n_sysctls);
	free(f->user);
	free(f->workdir);
	memset(f, 0, sizeof(*f));
}

void fixture_sysctl_path(const char *key, char *out, size_t len)
{
	bool slashes = strchr(key, '/') != NULL;

	snprintf(out, len, "%s", key);
	for (char *p = out; !slashes && *p; p++)
		if (*p == '.')
			*p = '/';
}

bool fixture_forwards(const struct fixture *f)
{
	char path[256];

	for (size_t i = 0; i < f->n_sysctls; i++) {
		const char *p = path;

		fixture_sysctl_path(f->sysctls[i].key, path, sizeof(path));
		if (!strcmp(f->sysctls[i].value, "0"))
			continue;
		if (!strcmp(p, "net/ipv4/ip_forward"))
			return true;
		if ((!strncmp(p, "net/ipv4/conf/", 14) || !strncmp(p, "net/ipv6/conf/", 14)) && strchr(p + 14, '/') &&
		    !strcmp(strchr(p + 14, '/'), "/forwarding"))
			return true;
	}
	return false;
}
