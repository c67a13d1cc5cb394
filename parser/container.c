/* SPDX-License-Identifier: MIT */
/* container.c: a container entry (and `defaults`): its own keys (name, count, hostname, rootfs, image, interfaces) and its key tables. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/imageref.h"
#include "model/naming.h"
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

	const char *had;

	if (pv_set_name(ctx, s, path, c->name) < 0)
		return -1;
	if (ctx->copies && append_copy(ctx, s, path, c->name, CE_NAME_MAX) < 0)
		return -1;
	if (!(had = pv_name_add(ctx, &ctx->names, c->name)))
		return -1;
	if (had != c->name)	/* the name of an earlier container */
		return pv_fail_at(ctx, s, path, "\"%s\" is already used by containers.[%zu]", c->name,
				  (size_t)((const struct container *)(had - offsetof(struct container, name)) - ctx->p->containers));
	return 0;
}

/* Starts the container's line; count's printer too (its copies are containers web1 ... webN). */
static void c_print_name(struct printer *pr, const void *obj)
{
	fprintf(pr->out, "container %s", ((const struct container *)obj)->name);
}

/* The value is read before the entry is loaded (pv_container_copies); nothing left to do. */
static int c_count(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return 0;
}

long pv_container_copies(struct ctx *ctx, const config_setting_t *s, const char *path)
{
	const config_setting_t *count = config_setting_is_group(s) ? config_setting_get_member(s, "count") : NULL;
	char sub[PATH_LEN];
	long long n = 0;

	if (!count)
		return 1;
	pv_path_key(sub, path, "count");
	if (pv_get_integer(ctx, count, sub, &n) < 0)
		return -1;
	if (n < 1 || n > COUNT_MAX)
		return pv_fail_at(ctx, count, sub, "%lld is outside 1..%d", n, COUNT_MAX);
	return (long)n;
}

static int c_hostname(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	const char *str = NULL;

	if (pv_get_name(ctx, s, path, CE_HOSTNAME_MAX, pv_valid_hostname, "hostname", &str) < 0)
		return -1;
	strcpy(c->hostname, str);
	if (ctx->copies && !ctx->in_defaults)
		return append_copy(ctx, s, path, c->hostname, CE_HOSTNAME_MAX);
	return 0;
}

static void c_print_hostname(struct printer *pr, const void *obj)
{
	pv_print_field(pr, "hostname %s", ((const struct container *)obj)->hostname);
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
	free(c->image);
	c->image = NULL;
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
	free(c->image);
	c->image = NULL;
	return 0;
}

/* image: a reference in the syntax of containers-transports(5); a file transport's path is taken
 * from the file's directory and must exist (a directory for oci:, a file for the archives). */
static int c_image(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	struct image_ref r;
	char why[256], canon[IMAGEREF_MAX];
	_cleanup_free_ char *joined = NULL, *real = NULL;
	const char *str = NULL;
	struct stat st;

	if (config_setting_get_member(config_setting_parent(s), "rootfs"))
		return pv_fail_at(ctx, s, path, "use either rootfs or image, not both");
	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (imageref_parse(str, &r, why, sizeof(why)) < 0)
		return pv_fail_at(ctx, s, path, "\"%s\": %s", str, why);
	if (imageref_is_file(&r)) {
		if (r.path[0] != '/' && asprintf(&joined, "%s/%s", ctx->dir, r.path) < 0)
			return pv_oom(ctx);
		if (!(real = realpath(joined ? joined : r.path, NULL)) || stat(real, &st) < 0)
			return pv_fail_at(ctx, s, path, "%s: %s", r.path, strerror(errno));
		if (r.transport == IMAGE_OCI ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
			return pv_fail_at(ctx, s, path, "%s: not a %s", r.path,
					  r.transport == IMAGE_OCI ? "directory (an OCI image layout)" : "file");
		if (strlen(real) >= sizeof(r.path))
			return pv_fail_at(ctx, s, path, "%s: the path is longer than %zu bytes", r.path, sizeof(r.path) - 1);
		strcpy(r.path, real);
	}
	imageref_format(&r, canon, sizeof(canon));
	free(c->image);
	free(c->rootfs);
	c->rootfs = NULL;
	c->rootfs_kind = ROOTFS_IMAGE;
	return (c->image = strdup(canon)) ? 0 : pv_oom(ctx);
}

/* rootfs and image fill the same fields: one printer. */
static void c_print_rootfs(struct printer *pr, const void *obj)
{
	const struct container *c = obj;

	if (c->rootfs_kind == ROOTFS_IMAGE)
		pv_print_field(pr, "image %s", c->image);
	else
		pv_print_field(pr, "rootfs %s", c->rootfs);
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
		    pv_apply_keys(ctx, e, elem, &pv_iface_group, &spec) < 0)
			return -1;
	}
	return 0;
}

/* ipv6 goes with ip (inside interfaces, the interface's own key) */
static int c_ipv6(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	const config_setting_t *parent = config_setting_parent(s);

	if (!config_setting_get_member(parent, "ip"))
		return pv_fail_at(ctx, s, path, "ipv6 goes with ip, or inside interfaces = ( { ...; ipv6 = ...; } )");
	return pv_iface_ipv6(ctx, c, s, path);
}

/* ip, interfaces and ipv6: each interface through the interface keys' printers. */
static void c_print_ifaces(struct printer *pr, const void *obj)
{
	const struct container *c = obj;

	for (size_t i = 0; i < c->n_ifaces; i++)
		pv_print_keys(pr, &pv_iface_group, &c->ifaces[i]);
}

/* Parsers run in this order: the name before the interfaces (their host veth names carry it),
 * an interface before its ipv6. */
static const struct key base_keys[] = {
	{ "name", c_name, c_print_name, true }, { "count", c_count, c_print_name, true },
	{ "hostname", c_hostname, c_print_hostname, true }, { "rootfs", c_rootfs, c_print_rootfs, false },
	{ "image", c_image, c_print_rootfs, false },
	{ "ip", c_ip, c_print_ifaces, true }, { "interfaces", c_interfaces, c_print_ifaces, true },
	{ "ipv6", c_ipv6, c_print_ifaces, true }, PV_END,
};

/* The container's line is name: hostname, rootfs, the limits, command; then its indented lines. */
PV_KEY_GROUP(pv_container_group, "container",
	     base_keys, pv_limit_keys, pv_process_keys, pv_security_keys, pv_ops_keys, pv_disk_keys, pv_topo_keys,
	     pv_dns_keys, pv_ulimit_keys, pv_stop_keys, pv_depends_keys, pv_mount_keys, pv_fixture_keys);

static const config_setting_t *root_of(const config_setting_t *s)
{
	while (config_setting_parent(s))
		s = config_setting_parent(s);
	return s;
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
	if (!c->rootfs && !c->image && set_host_rootfs(ctx, c) < 0)	/* no rootfs: the host's, read-only */
		return -1;
	/* with links, checked once they are read (pv_links_every_container) */
	if (!c->n_ifaces && !config_setting_get_member(root_of(s), "links"))
		return pv_fail_at(ctx, s, path, "has no ip or interfaces");
	if (!c->limits.pids)
		c->limits.pids = PIDS_DEFAULT;
	c->limits.rw_size = c->limits.memory ? c->limits.memory : ctx->ram / 4;
	return pv_limits_check(ctx, s, path, c);
}

int pv_container_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct container *c)
{
	int r = 0;

	c->line = pv_line(ctx, s);
	c->sec.userns = c->sec.seccomp = -1;	/* unset: the defaults decide later */
	c->limits.memory_swap = -1;
	c->svc.stop_timeout_ms = -1;
	if (pv_require(ctx, s, path, "name") < 0)
		return -1;
	if (ctx->defaults) {
		ctx->in_defaults = true;
		r = pv_apply_keys(ctx, ctx->defaults, "defaults", &pv_container_group, c);
		ctx->in_defaults = false;
	}
	if (r < 0 || pv_apply_keys(ctx, s, path, &pv_container_group, c) < 0)
		return -1;
	return container_finish(ctx, s, path, c);
}

