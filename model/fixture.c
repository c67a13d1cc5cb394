/* SPDX-License-Identifier: MIT */
/* fixture.c: releasing what a container's fixture keys (binds, tmpfs, files, devices, sysctls, user, workdir) hold. */
#include "model/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"

void fixture_binds_free(struct bind *b, size_t n)
{
	for (size_t i = 0; b && i < n; i++) {
		free(b[i].src);
		free(b[i].dst);
	}
	free(b);
}

void fixture_tmpfs_free(struct tmpfs_mount *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		free(t[i].dst);
	free(t);
}

void fixture_files_free(struct file_spec *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		free(f[i].path);
		free(f[i].content);
		free(f[i].source);
	}
	free(f);
}

void fixture_sysctls_free(struct sysctl *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++) {
		free(s[i].key);
		free(s[i].value);
	}
	free(s);
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
