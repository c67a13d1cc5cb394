/* SPDX-License-Identifier: MIT */
/* container.c: the keys of a container entry (and of `defaults`). */
#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/naming.h"
#include "model/strv.h"
#include "parser/internal.h"
#include "parser/topo.h"
#include "util/addr.h"
#include "util/cleanup.h"

/* ---- container keys ---- */

/* count = N: copy k of "web" is "web<k+1>". */
static int append_copy(struct ctx *ctx, const config_setting_t *s, const char *path, char *name, size_t size)
{
	size_t len = strlen(name);

	if ((size_t)snprintf(name + len, size - len, "%ld", ctx->copy + 1) >= size - len)
		return pv_fail_at(ctx, s, path, "\"%s\" with its count suffix is longer than %zu bytes", name, size - 1);
	return 0;
}

static int c_name(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	size_t self = (size_t)(c - ctx->p->containers);

	if (pv_set_name(ctx, s, path, c->name) < 0)
		return -1;
	if (ctx->copies && append_copy(ctx, s, path, c->name, CE_NAME_MAX) < 0)
		return -1;
	for (size_t i = 0; i < self; i++)
		if (!strcmp(ctx->p->containers[i].name, c->name))
			return pv_fail_at(ctx, s, path, "\"%s\" is already used by containers.[%zu]", c->name, i);
	return 0;
}

static int c_hostname(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (strlen(str) >= CE_HOSTNAME_MAX)
		return pv_fail_at(ctx, s, path, "\"%s\" is longer than %d bytes", str, CE_HOSTNAME_MAX - 1);
	if (!pv_valid_hostname(str))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a valid hostname", str);
	strcpy(c->hostname, str);
	if (ctx->copies && !ctx->in_defaults)
		return append_copy(ctx, s, path, c->hostname, CE_HOSTNAME_MAX);
	return 0;
}

static bool is_tarball(const char *path)
{
	static const char *const ext[] = { ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.zst" };
	size_t len = strlen(path);

	for (size_t i = 0; i < sizeof(ext) / sizeof(*ext); i++)
		if (len > strlen(ext[i]) && !strcmp(path + len - strlen(ext[i]), ext[i]))
			return true;
	return false;
}

static int set_host_rootfs(struct ctx *ctx, struct container *c)
{
	free(c->rootfs);
	c->rootfs = strdup("/");
	c->rootfs_kind = ROOTFS_HOST;
	return c->rootfs ? 0 : pv_oom(ctx);
}

/* rootfs: a directory, a .tar[.gz|.xz|.zst] file, or "host". */
static int c_rootfs(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	_cleanup_free_ char *joined = NULL;
	char *real;
	const char *str = NULL;
	struct stat st;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!*str)
		return pv_fail_at(ctx, s, path, "must not be empty");
	if (!strcmp(str, "host"))
		return set_host_rootfs(ctx, c);
	if (*str != '/' && asprintf(&joined, "%s/%s", ctx->dir, str) < 0)
		return pv_oom(ctx);
	real = realpath(joined ? joined : str, NULL);
	if (!real && (errno == ENOENT || errno == ENOTDIR))
		return pv_fail_at(ctx, s, path, "%s: no such directory", str);
	if (!real)
		return pv_fail_at(ctx, s, path, "%s: %s", str, strerror(errno));
	c->rootfs_kind = stat(real, &st) == 0 && S_ISREG(st.st_mode) && is_tarball(real) ? ROOTFS_TARBALL : ROOTFS_DIR;
	if (c->rootfs_kind == ROOTFS_DIR && (stat(real, &st) < 0 || !S_ISDIR(st.st_mode))) {
		free(real);
		return pv_fail_at(ctx, s, path, "%s: not a directory, a .tar/.tar.gz/.tgz/.tar.xz/.tar.zst file or \"host\"", str);
	}
	if (c->rootfs_kind == ROOTFS_DIR && (strlen(real) >= ROOTFS_PATH_MAX || strpbrk(real, ",:\\"))) {
		pv_fail_at(ctx, s, path, "%s: an overlay lower directory must be shorter than %d bytes, without ',' ':' or '\\'",
			   str, ROOTFS_PATH_MAX);
		free(real);
		return -1;
	}
	free(c->rootfs);
	c->rootfs = real;
	return 0;
}

static int c_ip(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	if (config_setting_get_member(config_setting_parent(s), "interfaces"))
		return pv_fail_at(ctx, s, path, "use either ip or interfaces, not both");
	if (ctx->p->n_networks != 1)
		return pv_fail_at(ctx, s, path,
				  "ip needs exactly one network (%zu defined), use interfaces = ( { network = ...; ip = ...; } )",
				  ctx->p->n_networks);
	return pv_add_iface(ctx, obj, 0, s, path);
}

static int c_interfaces(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	char elem[PATH_LEN];

	if (pv_check_list(ctx, s, path, "{ network = ...; ip = ...; }") < 0)
		return -1;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		struct iface_spec spec = { .c = obj, .network = -1 };

		pv_path_elem(elem, path, i);
		if (pv_require(ctx, e, elem, "network") < 0 || pv_require(ctx, e, elem, "ip") < 0 ||
		    pv_apply_keys(ctx, e, elem, pv_iface_keys, pv_n_iface_keys, &spec) < 0)
			return -1;
	}
	return 0;
}

static int c_command(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_set_argv(ctx, s, path, &((struct container *)obj)->command);
}

/* Set KEY=VALUE in *env, replacing an entry with the same KEY. */
static int env_put(char ***env, const char *entry)
{
	size_t klen = strcspn(entry, "=");

	for (char **e = *env; e && *e; e++) {
		char *dup;

		if (strncmp(*e, entry, klen) || (*e)[klen] != '=')
			continue;
		dup = strdup(entry);
		if (!dup)
			return -1;
		free(*e);
		*e = dup;
		return 0;
	}
	return strv_push(env, entry);
}

static int c_env(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	char **list = NULL;
	char elem[PATH_LEN];
	int r = 0;

	if (pv_get_strv(ctx, s, path, &list) < 0)
		return -1;
	for (size_t i = 0; r == 0 && list && list[i]; i++) {
		pv_path_elem(elem, path, (int)i);
		if (list[i][0] == '=' || !strchr(list[i], '='))
			r = pv_fail_at(ctx, config_setting_get_elem(s, (unsigned)i), elem,
				       "\"%s\" is not KEY=VALUE", list[i]);
		else if (env_put(&c->env, list[i]) < 0)
			r = pv_oom(ctx);
	}
	strv_free(list);
	return r;
}

static const struct key base_keys[] = {
	{ "name", c_name, true },
	{ "hostname", c_hostname, true },
	{ "rootfs", c_rootfs, false },
	{ "ip", c_ip, true },
	{ "interfaces", c_interfaces, true },
	{ "command", c_command, false },
	{ "env", c_env, false },
};

#define N_BASE_KEYS (sizeof(base_keys) / sizeof(*base_keys))
#define MAX_CONTAINER_KEYS 64

static struct key container_keys[MAX_CONTAINER_KEYS];
static size_t n_container_keys;

static void append_keys(const struct key *keys, size_t n)
{
	for (size_t i = 0; i < n && n_container_keys < MAX_CONTAINER_KEYS; i++)
		container_keys[n_container_keys++] = keys[i];
}

/* The base keys, then each extra table (limits, security, operations), in that order. */
static void build_key_table(void)
{
	if (n_container_keys)
		return;
	append_keys(base_keys, N_BASE_KEYS);
	append_keys(pv_limit_keys, pv_n_limit_keys);
	append_keys(pv_security_keys, pv_n_security_keys);
	append_keys(pv_ops_keys, pv_n_ops_keys);
	append_keys(pv_topo_keys, pv_n_topo_keys);
}

static int container_finish(struct ctx *ctx, const config_setting_t *s, const char *path, struct container *c)
{
	char sub[PATH_LEN];

	if (!c->hostname[0] && !pv_valid_hostname(c->name)) {
		pv_path_key(sub, path, "hostname");
		return pv_fail_at(ctx, config_setting_get_member(s, "name"), sub,
				  "name \"%s\" is not a valid hostname, set hostname", c->name);
	}
	if (!c->hostname[0])
		strcpy(c->hostname, c->name);
	if (!c->rootfs && set_host_rootfs(ctx, c) < 0)	/* no rootfs: the host's, read-only */
		return -1;
	if (!c->n_ifaces)
		return pv_fail_at(ctx, s, path, "has no ip or interfaces");
	return pv_limits_check(ctx, s, path, c);
}

int pv_container_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct container *c)
{
	int r = 0;

	build_key_table();
	c->line = config_setting_source_line(s);
	c->sec.userns = c->sec.seccomp = -1;	/* unset: the defaults decide later */
	c->limits.memory_swap = -1;
	if (pv_require(ctx, s, path, "name") < 0)
		return -1;
	if (ctx->defaults) {
		ctx->in_defaults = true;
		r = pv_apply_keys(ctx, ctx->defaults, "defaults", container_keys, n_container_keys, c);
		ctx->in_defaults = false;
	}
	if (r < 0 || pv_apply_keys(ctx, s, path, container_keys, n_container_keys, c) < 0)
		return -1;
	return container_finish(ctx, s, path, c);
}

