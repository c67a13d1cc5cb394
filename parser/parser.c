/* SPDX-License-Identifier: MIT */
/* parser.c: load a libconfig project file, apply defaults and validate it into a struct project. */

/*
 * Every validation error is one line, "FILE:LINE: PATH: what is wrong",
 * with err->code = EINVAL.  PATH uses libconfig's own lookup syntax: keys
 * joined by '.', list elements as "[N]" with N 0-based, e.g. "name",
 * "networks.[0].subnet", "containers.[1].cpu",
 * "containers.[0].interfaces.[1].ip", "containers.[0].command.[2]",
 * "defaults.memory".  LINE is the line of the offending setting, or of the
 * enclosing group when a required key is missing (line 1 for a missing
 * top-level key).
 *
 * Each group is checked against a table of keys: first every key present
 * must be in the table, then the handlers run in table order (not file
 * order), so e.g. a network's subnet is known before its gateway.
 * `defaults` is applied to each container before the container's own keys.
 * A relative rootfs is taken relative to the directory of the file.
 */
#include "parser/parser.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parser/naming.h"
#include "parser/strv.h"
#include "util/addr.h"
#include "util/cleanup.h"

#define PATH_LEN 256
#define MEMORY_MIN (4ull << 20)
#define MTU_MIN 68
#define MTU_MAX 65535
#define PREFIX_MIN 8
#define PREFIX_MAX 30

struct ctx {
	const char *file;			/* as given to parser_load() */
	const char *dir;			/* its directory, for relative rootfs */
	struct project *p;
	struct ce_error *err;
	const config_setting_t *defaults;	/* the `defaults` group, or NULL */
	bool in_defaults;			/* applying `defaults` right now */
	long ncpu;
};

/* One interface entry while it is being read. */
struct iface_spec {
	struct container *c;
	long network;				/* index, -1 until known */
};

typedef int (*key_fn)(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj);

struct key {
	const char *name;
	key_fn fn;
	bool container_only;			/* refused inside `defaults` */
};

/* ---- errors and paths ---- */

static int vfail(struct ctx *ctx, int line, const char *path, const char *fmt, va_list ap)
{
	char msg[CE_ERROR_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	ce_error_set(ctx->err, 0, "%s:%d: %s: %s", ctx->file, line, path, msg);
	if (ctx->err)
		ctx->err->code = EINVAL;
	return -1;
}

__attribute__((format(printf, 4, 5)))
static int fail_line(struct ctx *ctx, int line, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(ctx, line, path, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 4, 5)))
static int fail_at(struct ctx *ctx, const config_setting_t *s, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(ctx, config_setting_source_line(s), path, fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct ctx *ctx)
{
	return ce_error_set(ctx->err, ENOMEM, "%s", ctx->file);
}

/* Paths are a few keys deep; an over-long one ends in "..." instead of overflowing. */
static void path_mark_cut(char out[PATH_LEN], int n)
{
	if (n < 0 || n >= PATH_LEN)
		strcpy(out + PATH_LEN - 4, "...");
}

static void path_key(char out[PATH_LEN], const char *parent, const char *key)
{
	path_mark_cut(out, snprintf(out, PATH_LEN, "%s%s%s", parent, *parent ? "." : "", key));
}

static void path_elem(char out[PATH_LEN], const char *parent, int index)
{
	path_mark_cut(out, snprintf(out, PATH_LEN, "%s.[%d]", parent, index));
}

/* ---- typed getters ---- */

static int get_string(struct ctx *ctx, const config_setting_t *s, const char *path, const char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail_at(ctx, s, path, "expected a string");
	*out = config_setting_get_string(s);
	return 0;
}

static bool is_integer(const config_setting_t *s)
{
	return config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64;
}

static int get_integer(struct ctx *ctx, const config_setting_t *s, const char *path, long long *out)
{
	if (!is_integer(s))
		return fail_at(ctx, s, path, "expected an integer");
	*out = config_setting_get_int64(s);
	return 0;
}

static int get_number(struct ctx *ctx, const config_setting_t *s, const char *path, double *out)
{
	if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		*out = config_setting_get_float(s);
	else if (is_integer(s))
		*out = (double)config_setting_get_int64(s);
	else
		return fail_at(ctx, s, path, "expected a number");
	return 0;
}

static int check_list(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what)
{
	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail_at(ctx, s, path, "expected a list ( %s, ... )", what);
	if (config_setting_length(s) == 0)
		return fail_at(ctx, s, path, "must not be empty");
	return 0;
}

/* A list or array of strings; empty strings are refused. NULL-terminated copy in *out. */
static int get_strv(struct ctx *ctx, const config_setting_t *s, const char *path, char ***out)
{
	char elem[PATH_LEN];
	char **v = NULL;

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail_at(ctx, s, path, "expected a list of strings [ \"...\", ... ]");
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		const char *str = NULL;

		path_elem(elem, path, i);
		if (get_string(ctx, e, elem, &str) < 0)
			goto on_error;
		if (!*str) {
			fail_at(ctx, e, elem, "must not be empty");
			goto on_error;
		}
		if (strv_push(&v, str) < 0) {
			oom(ctx);
			goto on_error;
		}
	}
	*out = v;
	return 0;
on_error:
	strv_free(v);
	return -1;
}

/* ---- name rules ---- */

static bool valid_name(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

static bool valid_project_name(const char *s)
{
	size_t len = strlen(s);

	return len >= 1 && len <= CE_PROJECT_MAX && strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == len;
}

/* RFC 1123: dot-separated labels of letters, digits and inner hyphens. */
static bool valid_hostname(const char *s)
{
	size_t label = 0;

	for (const char *c = s;; c++) {
		if (*c == '.' || !*c) {
			if (!label || c[-1] == '-')
				return false;
			if (!*c)
				return true;
			label = 0;
		} else if (isalnum((unsigned char)*c) || (*c == '-' && label)) {
			label++;
		} else {
			return false;
		}
	}
}

static bool valid_ifname(const char *s)
{
	return *s && strcmp(s, ".") && strcmp(s, "..") && strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == strlen(s);
}

/* Name of a network or container: rule, then copy into out[CE_NAME_MAX]. */
static int set_name(struct ctx *ctx, const config_setting_t *s, const char *path, char *out)
{
	const char *str = NULL;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	if (strlen(str) >= CE_NAME_MAX)
		return fail_at(ctx, s, path, "\"%s\" is longer than %d bytes", str, CE_NAME_MAX - 1);
	if (!valid_name(str))
		return fail_at(ctx, s, path, "\"%s\" is not a valid name ([A-Za-z0-9][A-Za-z0-9_.-]*)", str);
	strcpy(out, str);
	return 0;
}

/* ---- group dispatch ---- */

static const struct key *key_find(const struct key *table, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

static int check_keys(struct ctx *ctx, const config_setting_t *group, const char *path,
		      const struct key *table, size_t n)
{
	char sub[PATH_LEN];

	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, i);
		const struct key *k = key_find(table, n, config_setting_name(s));

		path_key(sub, path, config_setting_name(s));
		if (!k)
			return fail_at(ctx, s, sub, "unknown key");
		if (k->container_only && ctx->in_defaults)
			return fail_at(ctx, s, sub, "not allowed in defaults");
	}
	return 0;
}

static int apply_keys(struct ctx *ctx, const config_setting_t *group, const char *path,
		      const struct key *table, size_t n, void *obj)
{
	char sub[PATH_LEN];

	if (!config_setting_is_group(group))
		return fail_at(ctx, group, path, "expected a group { ... }");
	if (check_keys(ctx, group, path, table, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_member(group, table[i].name);

		path_key(sub, path, table[i].name);
		if (s && table[i].fn(ctx, s, sub, obj) < 0)
			return -1;
	}
	return 0;
}

static int require(struct ctx *ctx, const config_setting_t *group, const char *path, const char *key)
{
	char sub[PATH_LEN];

	if (!config_setting_is_group(group))
		return fail_at(ctx, group, path, "expected a group { ... }");
	if (config_setting_get_member(group, key))
		return 0;
	path_key(sub, path, key);
	return fail_at(ctx, group, sub, "missing");
}

/* ---- addresses ---- */

static const char *subnet_str(const struct network *n, char buf[32])
{
	char a[16];

	snprintf(buf, 32, "%s/%d", addr_format(n->subnet, a, sizeof(a)), n->prefix);
	return buf;
}

/* addr must be a usable host address of n (not network, not broadcast). */
static int check_host(struct ctx *ctx, const config_setting_t *s, const char *path,
		      const struct network *n, uint32_t addr)
{
	char a[16], sub[32];
	const char *what = NULL;

	addr_format(addr, a, sizeof(a));
	if (!addr_in_subnet(addr, n->subnet, n->prefix))
		return fail_at(ctx, s, path, "%s is outside %s %s", a, n->name, subnet_str(n, sub));
	if (addr == n->subnet)
		what = "network";
	else if (addr == (n->subnet | ~addr_mask(n->prefix)))
		what = "broadcast";
	if (what)
		return fail_at(ctx, s, path, "%s is the %s address of %s %s", a, what, n->name,
			       subnet_str(n, sub));
	return 0;
}

static int check_addr_free(struct ctx *ctx, const config_setting_t *s, const char *path,
			   const struct network *n, uint32_t addr)
{
	const struct project *p = ctx->p;
	char a[16];

	addr_format(addr, a, sizeof(a));
	if (addr == n->gateway)
		return fail_at(ctx, s, path, "%s is the gateway of %s", a, n->name);
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces; j++)
			if (p->containers[i].ifaces[j].addr == addr)
				return fail_at(ctx, s, path, "%s is already used by %s", a,
					       p->containers[i].name);
	return 0;
}

/* ---- network keys ---- */

static size_t net_index(struct ctx *ctx, const struct network *n)
{
	return (size_t)(n - ctx->p->networks);
}

static int net_name(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;

	if (set_name(ctx, s, path, n->name) < 0)
		return -1;
	for (size_t i = 0; i < net_index(ctx, n); i++)
		if (!strcmp(ctx->p->networks[i].name, n->name))
			return fail_at(ctx, s, path, "\"%s\" is already used by networks.[%zu]", n->name, i);
	return 0;
}

static int net_overlap(struct ctx *ctx, const config_setting_t *s, const char *path, struct network *n)
{
	char a[32], b[32];

	for (size_t i = 0; i < net_index(ctx, n); i++) {
		const struct network *o = &ctx->p->networks[i];

		if (addr_subnets_overlap(n->subnet, n->prefix, o->subnet, o->prefix))
			return fail_at(ctx, s, path, "%s overlaps %s %s", subnet_str(n, a), o->name,
				       subnet_str(o, b));
	}
	return 0;
}

static int net_subnet(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;
	const char *str = NULL;
	char a[16];
	uint32_t addr;
	int prefix;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	if (addr_parse(str, &addr, &prefix) < 0)
		return fail_at(ctx, s, path, "\"%s\" is not an IPv4 subnet like 192.168.1.0/24", str);
	if (prefix < 0)
		return fail_at(ctx, s, path, "\"%s\" has no prefix, like 192.168.1.0/24", str);
	if (prefix < PREFIX_MIN || prefix > PREFIX_MAX)
		return fail_at(ctx, s, path, "prefix /%d is outside /%d../%d", prefix, PREFIX_MIN, PREFIX_MAX);
	if (addr_network(addr, prefix) != addr)
		return fail_at(ctx, s, path, "%s has host bits set, the network is %s/%d", str,
			       addr_format(addr_network(addr, prefix), a, sizeof(a)), prefix);
	n->subnet = addr;
	n->prefix = prefix;
	return net_overlap(ctx, s, path, n);
}

static int net_gateway(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;
	const char *str = NULL;
	uint32_t addr;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	if (addr_parse(str, &addr, NULL) < 0)
		return fail_at(ctx, s, path, "\"%s\" is not an IPv4 address", str);
	if (check_host(ctx, s, path, n, addr) < 0)
		return -1;
	n->gateway = addr;
	return 0;
}

static int net_bridge(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;
	const char *str = NULL;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	if (strlen(str) >= CE_IFNAME_MAX)
		return fail_at(ctx, s, path, "\"%s\" is longer than %d bytes", str, CE_IFNAME_MAX - 1);
	if (!valid_ifname(str))
		return fail_at(ctx, s, path, "\"%s\" is not a valid interface name", str);
	for (size_t i = 0; i < net_index(ctx, n); i++)
		if (!strcmp(ctx->p->networks[i].bridge, str))
			return fail_at(ctx, s, path, "%s is already used by %s", str, ctx->p->networks[i].name);
	strcpy(n->bridge, str);
	return 0;
}

static int net_mtu(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;
	long long mtu = 0;

	if (get_integer(ctx, s, path, &mtu) < 0)
		return -1;
	if (mtu < MTU_MIN || mtu > MTU_MAX)
		return fail_at(ctx, s, path, "%lld is outside %d..%d", mtu, MTU_MIN, MTU_MAX);
	n->mtu = (int)mtu;
	return 0;
}

static const struct key network_keys[] = {
	{ "name", net_name, false },
	{ "subnet", net_subnet, false },
	{ "gateway", net_gateway, false },
	{ "bridge", net_bridge, false },
	{ "mtu", net_mtu, false },
};

static int network_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct network *n)
{
	n->line = config_setting_source_line(s);
	if (require(ctx, s, path, "name") < 0 || require(ctx, s, path, "subnet") < 0)
		return -1;
	if (apply_keys(ctx, s, path, network_keys, sizeof(network_keys) / sizeof(*network_keys), n) < 0)
		return -1;
	if (!n->bridge[0])
		naming_bridge(ctx->p->name, n->name, n->bridge);
	return 0;
}

/* ---- interfaces ---- */

static int add_iface(struct ctx *ctx, struct container *c, size_t net,
		     const config_setting_t *s, const char *path)
{
	const struct network *n = &ctx->p->networks[net];
	struct iface *ifaces, *i;
	const char *str = NULL;
	char sub[32];
	uint32_t addr;
	int prefix;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	if (addr_parse(str, &addr, &prefix) < 0)
		return fail_at(ctx, s, path, "\"%s\" is not an IPv4 address", str);
	if (prefix >= 0 && prefix != n->prefix)
		return fail_at(ctx, s, path, "prefix /%d does not match %s %s", prefix, n->name, subnet_str(n, sub));
	if (check_host(ctx, s, path, n, addr) < 0 || check_addr_free(ctx, s, path, n, addr) < 0)
		return -1;
	ifaces = realloc(c->ifaces, (c->n_ifaces + 1) * sizeof(*ifaces));
	if (!ifaces)
		return oom(ctx);
	c->ifaces = ifaces;
	i = &ifaces[c->n_ifaces];
	*i = (struct iface){ .network = net, .addr = addr, .prefix = n->prefix,
			     .line = config_setting_source_line(s) };
	snprintf(i->ifname, sizeof(i->ifname), "eth%zu", c->n_ifaces);
	naming_veth(ctx->p->name, c->name, c->n_ifaces, i->host_ifname);
	c->n_ifaces++;
	return 0;
}

static int if_network(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct iface_spec *spec = obj;
	const struct project *p = ctx->p;
	const char *str = NULL;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	for (size_t i = 0; i < p->n_networks; i++)
		if (!strcmp(p->networks[i].name, str))
			spec->network = (long)i;
	if (spec->network < 0)
		return fail_at(ctx, s, path, "unknown network \"%s\"", str);
	for (size_t i = 0; i < spec->c->n_ifaces; i++)
		if (spec->c->ifaces[i].network == (size_t)spec->network)
			return fail_at(ctx, s, path, "%s already has an interface on %s", spec->c->name, str);
	return 0;
}

static int if_ip(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct iface_spec *spec = obj;

	return add_iface(ctx, spec->c, (size_t)spec->network, s, path);
}

static const struct key iface_keys[] = {
	{ "network", if_network, false },
	{ "ip", if_ip, false },
};

/* ---- container keys ---- */

static int c_name(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	size_t self = (size_t)(c - ctx->p->containers);

	if (set_name(ctx, s, path, c->name) < 0)
		return -1;
	for (size_t i = 0; i < self; i++)
		if (!strcmp(ctx->p->containers[i].name, c->name))
			return fail_at(ctx, s, path, "\"%s\" is already used by containers.[%zu]", c->name, i);
	return 0;
}

static int c_hostname(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	const char *str = NULL;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	if (strlen(str) >= CE_HOSTNAME_MAX)
		return fail_at(ctx, s, path, "\"%s\" is longer than %d bytes", str, CE_HOSTNAME_MAX - 1);
	if (!valid_hostname(str))
		return fail_at(ctx, s, path, "\"%s\" is not a valid hostname", str);
	strcpy(c->hostname, str);
	return 0;
}

static int c_rootfs(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	_cleanup_free_ char *joined = NULL;
	char *real;
	const char *str = NULL;
	struct stat st;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!*str)
		return fail_at(ctx, s, path, "must not be empty");
	if (*str != '/' && asprintf(&joined, "%s/%s", ctx->dir, str) < 0)
		return oom(ctx);
	real = realpath(joined ? joined : str, NULL);
	if (!real && (errno == ENOENT || errno == ENOTDIR))
		return fail_at(ctx, s, path, "%s: no such directory", str);
	if (!real)
		return fail_at(ctx, s, path, "%s: %s", str, strerror(errno));
	if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(real);
		return fail_at(ctx, s, path, "%s: not a directory", str);
	}
	free(c->rootfs);
	c->rootfs = real;
	return 0;
}

static int c_ip(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	if (config_setting_get_member(config_setting_parent(s), "interfaces"))
		return fail_at(ctx, s, path, "use either ip or interfaces, not both");
	if (ctx->p->n_networks != 1)
		return fail_at(ctx, s, path,
			       "ip needs exactly one network (%zu defined), use interfaces = ( { network = ...; ip = ...; } )",
			       ctx->p->n_networks);
	return add_iface(ctx, obj, 0, s, path);
}

static int c_interfaces(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	char elem[PATH_LEN];

	if (check_list(ctx, s, path, "{ network = ...; ip = ...; }") < 0)
		return -1;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		struct iface_spec spec = { .c = obj, .network = -1 };

		path_elem(elem, path, i);
		if (require(ctx, e, elem, "network") < 0 || require(ctx, e, elem, "ip") < 0 ||
		    apply_keys(ctx, e, elem, iface_keys, sizeof(iface_keys) / sizeof(*iface_keys), &spec) < 0)
			return -1;
	}
	return 0;
}

static int c_cpu(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	double cpu = 0;

	if (get_number(ctx, s, path, &cpu) < 0)
		return -1;
	if (!(cpu > 0))
		return fail_at(ctx, s, path, "must be greater than 0, got %g", cpu);
	if (cpu > (double)ctx->ncpu)
		return fail_at(ctx, s, path, "%g is more than the %ld online CPUs", cpu, ctx->ncpu);
	c->limits.cpu = cpu;
	return 0;
}

static unsigned unit_shift(char unit)
{
	static const char units[] = "KMGT";
	const char *u = unit ? strchr(units, toupper((unsigned char)unit)) : NULL;

	return u ? 10 * (unsigned)(u - units + 1) : 0;
}

/* "50M", "50MB", "1g", "4096": powers of 1024, optional trailing B. */
static int parse_size(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str,
		      uint64_t *out)
{
	unsigned long long v;
	unsigned shift;
	char *end;

	if (!isdigit((unsigned char)*str))
		return fail_at(ctx, s, path, "\"%s\" is not a size like \"50M\"", str);
	errno = 0;
	v = strtoull(str, &end, 10);
	shift = unit_shift(*end);
	if (shift)
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return fail_at(ctx, s, path, "\"%s\" has an unknown unit (use K, M, G or T)", str);
	if (errno == ERANGE || v > (UINT64_MAX >> shift))
		return fail_at(ctx, s, path, "\"%s\" is too large", str);
	*out = (uint64_t)v << shift;
	return 0;
}

static int c_memory(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	long long bytes;
	uint64_t mem = 0;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (parse_size(ctx, s, path, config_setting_get_string(s), &mem) < 0)
			return -1;
	} else if (is_integer(s)) {
		bytes = config_setting_get_int64(s);
		if (bytes <= 0)
			return fail_at(ctx, s, path, "must be greater than 0, got %lld", bytes);
		mem = (uint64_t)bytes;
	} else {
		return fail_at(ctx, s, path, "expected a size like \"50M\" or a number of bytes");
	}
	if (mem < MEMORY_MIN)
		return fail_at(ctx, s, path, "%llu bytes is below the minimum of 4M (%llu bytes)",
			       (unsigned long long)mem, MEMORY_MIN);
	c->limits.memory = mem;
	return 0;
}

static int c_pids(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	long long pids = 0;

	if (get_integer(ctx, s, path, &pids) < 0)
		return -1;
	if (pids <= 0)
		return fail_at(ctx, s, path, "must be greater than 0, got %lld", pids);
	c->limits.pids = pids;
	return 0;
}

static int c_command(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	char **argv = NULL;

	if (get_strv(ctx, s, path, &argv) < 0)
		return -1;
	if (!argv)
		return fail_at(ctx, s, path, "must not be empty");
	strv_free(c->command);
	c->command = argv;
	return 0;
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

	if (get_strv(ctx, s, path, &list) < 0)
		return -1;
	for (size_t i = 0; r == 0 && list && list[i]; i++) {
		path_elem(elem, path, (int)i);
		if (list[i][0] == '=' || !strchr(list[i], '='))
			r = fail_at(ctx, config_setting_get_elem(s, (unsigned)i), elem,
				    "\"%s\" is not KEY=VALUE", list[i]);
		else if (env_put(&c->env, list[i]) < 0)
			r = oom(ctx);
	}
	strv_free(list);
	return r;
}

static const struct key container_keys[] = {
	{ "name", c_name, true },
	{ "hostname", c_hostname, true },
	{ "rootfs", c_rootfs, false },
	{ "ip", c_ip, true },
	{ "interfaces", c_interfaces, true },
	{ "cpu", c_cpu, false },
	{ "memory", c_memory, false },
	{ "pids", c_pids, false },
	{ "command", c_command, false },
	{ "env", c_env, false },
};

#define N_CONTAINER_KEYS (sizeof(container_keys) / sizeof(*container_keys))

static int container_finish(struct ctx *ctx, const config_setting_t *s, const char *path, struct container *c)
{
	char sub[PATH_LEN];

	if (!c->hostname[0] && !valid_hostname(c->name)) {
		path_key(sub, path, "hostname");
		return fail_at(ctx, config_setting_get_member(s, "name"), sub,
			       "name \"%s\" is not a valid hostname, set hostname", c->name);
	}
	if (!c->hostname[0])
		strcpy(c->hostname, c->name);
	path_key(sub, path, "rootfs");
	if (!c->rootfs)
		return fail_at(ctx, s, sub, "missing (set it here or in defaults)");
	if (!c->n_ifaces)
		return fail_at(ctx, s, path, "has no ip or interfaces");
	return 0;
}

static int container_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct container *c)
{
	int r = 0;

	c->line = config_setting_source_line(s);
	if (require(ctx, s, path, "name") < 0)
		return -1;
	if (ctx->defaults) {
		ctx->in_defaults = true;
		r = apply_keys(ctx, ctx->defaults, "defaults", container_keys, N_CONTAINER_KEYS, c);
		ctx->in_defaults = false;
	}
	if (r < 0 || apply_keys(ctx, s, path, container_keys, N_CONTAINER_KEYS, c) < 0)
		return -1;
	return container_finish(ctx, s, path, c);
}

/* ---- top level ---- */

static int root_name(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	const char *str = NULL;

	if (get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!valid_project_name(str))
		return fail_at(ctx, s, path, "\"%s\" is not a valid project name ([A-Za-z0-9_-], 1 to %d bytes)",
			       str, CE_PROJECT_MAX);
	strcpy(ctx->p->name, str);
	return 0;
}

static int root_networks(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct project *p = ctx->p;
	char elem[PATH_LEN];

	if (check_list(ctx, s, path, "{ name = ...; subnet = ...; }") < 0)
		return -1;
	p->networks = calloc((size_t)config_setting_length(s), sizeof(*p->networks));
	if (!p->networks)
		return oom(ctx);
	for (int i = 0; i < config_setting_length(s); i++) {
		path_elem(elem, path, i);
		if (network_load(ctx, config_setting_get_elem(s, i), elem, &p->networks[i]) < 0)
			return -1;
		p->n_networks++;
	}
	return 0;
}

static int root_defaults(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	if (!config_setting_is_group(s))
		return fail_at(ctx, s, path, "expected a group { ... }");
	ctx->defaults = s;
	return 0;
}

static int root_containers(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct project *p = ctx->p;
	char elem[PATH_LEN];

	if (!p->n_networks)
		return fail_line(ctx, 1, "networks", "no networks defined");
	if (check_list(ctx, s, path, "{ name = ...; ... }") < 0)
		return -1;
	p->containers = calloc((size_t)config_setting_length(s), sizeof(*p->containers));
	if (!p->containers)
		return oom(ctx);
	for (int i = 0; i < config_setting_length(s); i++) {
		path_elem(elem, path, i);
		p->n_containers++;	/* counted first so project_free() sees partial ones */
		if (container_load(ctx, config_setting_get_elem(s, i), elem, &p->containers[i]) < 0)
			return -1;
	}
	return 0;
}

static const struct key root_keys[] = {
	{ "name", root_name, false },
	{ "networks", root_networks, false },
	{ "defaults", root_defaults, false },
	{ "containers", root_containers, false },
};

/* Project name from the file name: basename without ".conf". */
static int default_name(struct ctx *ctx)
{
	const char *base = strrchr(ctx->file, '/');
	char name[PATH_LEN];
	size_t len;

	base = base ? base + 1 : ctx->file;
	snprintf(name, sizeof(name), "%s", base);
	len = strlen(name);
	if (len > 5 && !strcmp(name + len - 5, ".conf"))
		name[len - 5] = '\0';
	if (!valid_project_name(name))
		return fail_line(ctx, 1, "name", "\"%s\" (from the file name) is not a valid project name, set name = \"...\"",
				 name);
	strcpy(ctx->p->name, name);
	return 0;
}

static int load_root(struct ctx *ctx, const config_setting_t *root)
{
	if (!config_setting_get_member(root, "name") && default_name(ctx) < 0)
		return -1;
	if (apply_keys(ctx, root, "", root_keys, sizeof(root_keys) / sizeof(*root_keys), NULL) < 0)
		return -1;
	if (!ctx->p->n_networks)
		return fail_line(ctx, 1, "networks", "no networks defined");
	if (!ctx->p->n_containers)
		return fail_line(ctx, 1, "containers", "no containers defined");
	return 0;
}

static int read_error(const config_t *cfg, const char *file, struct ce_error *err)
{
	if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
		return ce_error_set(err, errno ? errno : EIO, "%s", file);
	ce_error_set(err, 0, "%s:%d: %s", config_error_file(cfg) ? config_error_file(cfg) : file,
		     config_error_line(cfg), config_error_text(cfg));
	if (err)
		err->code = EINVAL;
	return -1;
}

static char *dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');

	if (!slash)
		return strdup(".");
	if (slash == file)
		return strdup("/");
	return strndup(file, (size_t)(slash - file));
}

int parser_load(const char *file, struct project **out, struct ce_error *err)
{
	_cleanup_(config_destroy) config_t cfg;
	_cleanup_(project_freep) struct project *p = NULL;
	_cleanup_free_ char *dir = NULL;
	struct ctx ctx = { .file = file, .err = err };

	config_init(&cfg);
	errno = 0;
	if (!config_read_file(&cfg, file))
		return read_error(&cfg, file, err);
	p = calloc(1, sizeof(*p));
	dir = dir_of(file);
	if (!p || !dir || !(p->file = strdup(file)))
		return ce_error_set(err, ENOMEM, "%s", file);
	ctx.p = p;
	ctx.dir = dir;
	ctx.ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ctx.ncpu < 1)
		ctx.ncpu = 1;
	if (load_root(&ctx, config_root_setting(&cfg)) < 0)
		return -1;
	*out = steal_pointer(&p);
	return 0;
}

/* ---- plan ---- */

static void print_arg(const char *arg, FILE *out)
{
	if (*arg && !arg[strcspn(arg, " \t\n\"\\'$")]) {
		fputs(arg, out);
		return;
	}
	fputc('"', out);
	for (; *arg; arg++) {
		if (*arg == '"' || *arg == '\\')
			fputc('\\', out);
		fputc(*arg, out);
	}
	fputc('"', out);
}

static void print_network(const struct network *n, FILE *out)
{
	char sub[32], gw[16];

	fprintf(out, "network %s: bridge %s, subnet %s, gateway %s", n->name, n->bridge, subnet_str(n, sub),
		n->gateway ? addr_format(n->gateway, gw, sizeof(gw)) : "-");
	if (n->mtu)
		fprintf(out, ", mtu %d", n->mtu);
	fputc('\n', out);
}

static void print_limits(const struct limits *l, FILE *out)
{
	if (l->cpu > 0)
		fprintf(out, ", cpu %g", l->cpu);
	else
		fputs(", cpu -", out);
	if (l->memory)
		fprintf(out, ", memory %llu", (unsigned long long)l->memory);
	else
		fputs(", memory -", out);
	if (l->pids)
		fprintf(out, ", pids %lld", (long long)l->pids);
	else
		fputs(", pids -", out);
}

static void print_container(const struct project *p, const struct container *c, FILE *out)
{
	char a[16];

	fprintf(out, "container %s: hostname %s, rootfs %s", c->name, c->hostname, c->rootfs);
	print_limits(&c->limits, out);
	fputs(", command", out);
	if (!c->command)
		fputs(" (wait)", out);
	for (char **arg = c->command; arg && *arg; arg++) {
		fputc(' ', out);
		print_arg(*arg, out);
	}
	fputc('\n', out);
	for (size_t i = 0; i < c->n_ifaces; i++) {
		const struct iface *f = &c->ifaces[i];

		fprintf(out, "  %s %s/%d on %s (host veth %s)\n", f->ifname, addr_format(f->addr, a, sizeof(a)),
			f->prefix, p->networks[f->network].name, f->host_ifname);
	}
	for (char **e = c->env; e && *e; e++)
		fprintf(out, "  env %s\n", *e);
}

void parser_print_plan(const struct project *p, FILE *out)
{
	fprintf(out, "project %s (%s)\n", p->name, p->file);
	for (size_t i = 0; i < p->n_networks; i++)
		print_network(&p->networks[i], out);
	for (size_t i = 0; i < p->n_containers; i++)
		print_container(p, &p->containers[i], out);
}
