/* SPDX-License-Identifier: MIT */
/* files.c: the container's `files` entries written into its writable layer, and its sysctls under its own /proc/sys. */
#include "runtime/inside/fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model/fixture.h"
#include "runtime/inside/resolve.h"
#include "util/cleanup.h"

int fixture_files(int root, const struct container *c, struct ce_error *err)
{
	for (size_t i = 0; i < c->fx.n_files; i++) {
		const struct file_spec *f = &c->fx.files[i];

		if (resolve_write_data(root, f->path, f->content, f->len, f->mode, err) < 0)
			return ce_error_wrap(err, "file %s", f->path);
	}
	return 0;
}

int fixture_sysctls(int proc, const struct container *c, struct ce_error *err)
{
	for (size_t i = 0; i < c->fx.n_sysctls; i++) {
		const struct sysctl *s = &c->fx.sysctls[i];
		char path[300] = "sys/";
		_cleanup_close_ int fd = -1;
		size_t len = strlen(s->value);

		fixture_sysctl_path(s->key, path + 4, sizeof(path) - 4);
		fd = resolve_open(proc, path, O_WRONLY, false, err);
		if (fd < 0 && errno == ENOENT)
			return ce_error_set(err, 0, "sysctl %s: the container's namespaces have no such sysctl", s->key);
		if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
			return ce_error_set(err, 0, "sysctl %s: not writable in the container's namespaces (the host's own)", s->key);
		if (fd < 0)
			return ce_error_wrap(err, "sysctl %s", s->key);
		if (write(fd, s->value, len) != (ssize_t)len)
			return ce_error_set(err, errno, "sysctl %s=%s", s->key, s->value);
	}
	return 0;
}
