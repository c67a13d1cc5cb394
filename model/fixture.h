/* SPDX-License-Identifier: MIT */
/* fixture.h: what a CI fixture puts into a container: binds, tmpfs, files, devices, sysctls, user, workdir, /dev/shm size. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FIXTURE_PATH_MAX 1024		/* bytes of a path inside the container, with its NUL */
#define FIXTURE_FILE_MAX (1u << 20)	/* bytes of one `files` entry's content */
#define FIXTURE_LIST_MAX 256		/* entries of binds, tmpfs, files, devices or sysctls */
#define SHM_SIZE_DEFAULT (64ull << 20)	/* /dev/shm without shm_size: Docker's 64M */
#define TMPFS_MODE_DEFAULT 01777	/* a tmpfs entry without mode=, as Docker's --tmpfs */

/* A host file or directory at dst (binds = [ "SRC:DST[:ro|rw]" ]). */
struct bind {
	char *src;			/* absolute host path, resolved at check (realpath) */
	char *dst;			/* absolute path inside the container, no "." or ".." */
	bool ro;			/* read-only, submounts too */
};

/* A tmpfs of the container's own at dst, charged to its memory cgroup (tmpfs = [ "DST[:size=N][,mode=M]" ]). */
struct tmpfs_mount {
	char *dst;
	uint64_t size;			/* bytes; 0 = the kernel's default (half of RAM) */
	uint32_t mode;			/* of its root directory */
};

/* A file written into the container's writable layer before its command starts. */
struct file_spec {
	char *path;			/* absolute path inside the container */
	char *content;			/* its bytes (a `source` file's, read at check) */
	size_t len;
	uint32_t mode;			/* permission bits, 0644 unless the entry sets mode */
	char *source;			/* the `source` as the file gives it, for check; NULL with `content` */
};

/* sysctls = [ "net.ipv4.ip_forward=1" ]: only those of the container's own namespaces. */
struct sysctl {
	char *key;			/* "net.ipv4.ip_forward" (or with '/' separators, as sysctl(8) takes) */
	char *value;
};

struct fixture {
	struct bind *binds;
	size_t n_binds;
	struct tmpfs_mount *tmpfs;
	size_t n_tmpfs;
	struct file_spec *files;
	size_t n_files;
	char **devices;			/* NULL-terminated device paths of devices_known()'s table; may be NULL */
	struct sysctl *sysctls;
	size_t n_sysctls;
	char *user;			/* "uid[:gid]" or "name[:group]", looked up in the container; NULL = root */
	char *workdir;			/* the command's working directory, made when missing; NULL = / */
	uint64_t shm_size;		/* bytes of /dev/shm; 0 = SHM_SIZE_DEFAULT */
};

void fixture_binds_free(struct bind *b, size_t n);
void fixture_tmpfs_free(struct tmpfs_mount *t, size_t n);
void fixture_files_free(struct file_spec *f, size_t n);
void fixture_sysctls_free(struct sysctl *s, size_t n);
/* Everything f owns; f is left empty. */
void fixture_clear(struct fixture *f);

/* A sysctl's key as its path under /proc/sys, sysctl(8)'s rule: '/' separators when it has one
 * ("net/ipv4/conf/eth0.100/forwarding"), else '.' ones ("net.ipv4.ip_forward"). Cut to len. */
void fixture_sysctl_path(const char *key, char *out, size_t len);

/* Does a sysctl of f turn forwarding on (net.ipv4.ip_forward, net.ipv{4,6}.conf.*.forwarding not 0)?
 * Such a container is a router, as with `forward = true`: its bridge ports may send others' packets. */
bool fixture_forwards(const struct fixture *f);

/* The bytes of /dev/shm with the default filled in. */
static inline uint64_t fixture_shm_size(const struct fixture *f)
{
	return f->shm_size ? f->shm_size : SHM_SIZE_DEFAULT;
}
