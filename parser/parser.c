/* SPDX-License-Identifier: MIT */
/* parser.c: load a libconfig project file, apply defaults and validate it into a struct project; the root keys. */

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
 * Each group is checked against its key tables (struct key_group): first
 * every key present must be in one of them, then the parsers run in table
 * order (not file order), so e.g. a network's subnet is known before its
 * gateway.  Each key has its printer beside its parser; `cengine check`
 * walks the same tables and prints through them (plan.c).
 * `defaults` is applied to each container before the container's own keys.
 * A relative rootfs is taken relative to the directory of the file.
 */
#include "parser/parser.h"

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
#include "parser/source.h"
#include "parser/topo.h"
#include "util/addr.h"
#include "util/cleanup.h"

/* ---- top level ---- */

static int root_name(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!naming_project_valid(str))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a valid project name ([A-Za-z0-9_-], 1 to %d bytes)",
				  str, CE_PROJECT_MAX);
	strcpy(ctx->p->name, str);
	return 0;
}

static int root_networks(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct project *p = ctx->p;
	char elem[PATH_LEN];

	p->networks = pv_list_alloc(ctx, s, path, "{ name = ...; subnet = ...; }", "networks", NETWORKS_MAX,
				    sizeof(*p->networks));
	if (!p->networks)
		return -1;
	for (int i = 0; i < config_setting_length(s); i++) {
		pv_path_elem(elem, path, i);
		if (pv_network_load(ctx, config_setting_get_elem(s, i), elem, &p->networks[i]) < 0)
			return -1;
		p->n_networks++;
	}
	return 0;
}

static int root_defaults(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	if (!config_setting_is_group(s))
		return pv_fail_at(ctx, s, path, "expected a group { ... }");
	ctx->defaults = s;
	return 0;
}

/* Containers the list makes, `count` copies included (at least 1 so calloc never gets 0); -1
 * above CONTAINERS_MAX. */
static long count_containers(struct ctx *ctx, const config_setting_t *s, const char *path)
{
	char elem[PATH_LEN];
	long total = 0;

	for (int i = 0; i < config_setting_length(s) && total <= CONTAINERS_MAX; i++) {
		pv_path_elem(elem, path, i);
		total += labs(pv_container_copies(ctx, config_setting_get_elem(s, i), elem));
	}
	if (total > CONTAINERS_MAX)
		return pv_fail_at(ctx, s, path, "more than %d containers (count copies included)", CONTAINERS_MAX);
	return total ? total : 1;
}

static int root_containers(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct project *p = ctx->p;
	char elem[PATH_LEN];

	if (!p->n_networks && !config_setting_get_member(config_setting_parent(s), "links"))
		return pv_fail_line(ctx, 1, "networks", "no networks defined");	/* nor links */
	long total;

	if (pv_check_list(ctx, s, path, "{ name = ...; ... }") < 0 || (total = count_containers(ctx, s, path)) < 0)
		return -1;
	p->containers = calloc((size_t)total, sizeof(*p->containers));
	if (!p->containers)
		return pv_oom(ctx);
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		long copies;

		pv_path_elem(elem, path, i);
		copies = pv_container_copies(ctx, e, elem);
		if (copies < 0)
			return -1;
		ctx->entry = i;
		ctx->copies = config_setting_get_member(e, "count") ? copies : 0;
		for (ctx->copy = 0; ctx->copy < copies; ctx->copy++) {
			p->n_containers++;	/* counted first so project_free() sees partial ones */
			if (pv_container_load(ctx, e, elem, &p->containers[p->n_containers - 1]) < 0)
				return -1;
		}
	}
	ctx->copy = ctx->copies = 0;
	return 0;
}

static int root_links(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_links_load(ctx, s, path);
}

/* ---- what `cengine check` prints of it ---- */

static void root_print_name(struct printer *pr, const void *obj)
{
	const struct project *p = obj;

	fprintf(pr->out, "project %s (%s)\n", p->name, p->file);
}

static void root_print_networks(struct printer *pr, const void *obj)
{
	const struct project *p = obj;

	for (size_t i = 0; i < p->n_networks; i++)
		pv_print_object(pr, &pv_network_group, &p->networks[i]);
}

/* containers, and defaults: what they set is in each container */
static void root_print_containers(struct printer *pr, const void *obj)
{
	const struct project *p = obj;

	for (size_t i = 0; i < p->n_containers; i++)
		pv_print_object(pr, &pv_container_group, &p->containers[i]);
}

static void root_print_links(struct printer *pr, const void *obj)
{
	const struct project *p = obj;

	for (size_t i = 0; i < p->n_links; i++)
		pv_print_object(pr, &pv_link_group, &p->links[i]);
}

static const struct key root_keys[] = {
	PV_KEY(root, name), PV_KEY(root, networks),
	{ "defaults", root_defaults, root_print_containers, false },
	{ "containers", root_containers, root_print_containers, false },
	PV_KEY(root, links), PV_END,
};

PV_KEY_GROUP(pv_root_group, "root", root_keys);

const struct key_group *const pv_groups[] = {
	&pv_root_group, &pv_network_group, &pv_iface_group, &pv_container_group, &pv_link_group, NULL,
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
	if (!naming_project_valid(name))
		return pv_fail_line(ctx, 1, "name", "\"%s\" (from the file name) is not a valid project name, set name = \"...\"",
				    name);
	strcpy(ctx->p->name, name);
	return 0;
}

/* A Linux bridge has 1,024 port numbers (BR_MAX_PORTS); cengine puts one
 * network on one bridge, so more interfaces than that are refused here
 * rather than failing half-way through `up`. */
#define BRIDGE_MAX_PORTS 1024

static int check_bridge_ports(struct ctx *ctx, const config_setting_t *root)
{
	const config_setting_t *list = config_setting_get_member(root, "containers");
	const struct project *p = ctx->p;
	_cleanup_free_ size_t *ports = calloc(p->n_networks + 1, sizeof(*ports));

	if (!ports)
		return pv_oom(ctx);
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t k = 0; k < p->containers[i].n_ifaces; k++)
			ports[p->containers[i].ifaces[k].network]++;
	for (size_t n = 0; n < p->n_networks; n++)
		if (ports[n] > BRIDGE_MAX_PORTS)
			return pv_fail_at(ctx, list ? list : root, "containers",
					  "network %s has %zu interfaces, more than the %d ports a Linux bridge holds "
					  "(split them over several networks)",
					  p->networks[n].name, ports[n], BRIDGE_MAX_PORTS);
	return 0;
}

static int load_root(struct ctx *ctx, const config_setting_t *root)
{
	if (!config_setting_get_member(root, "name") && default_name(ctx) < 0)
		return -1;
	if (pv_apply_keys(ctx, root, "", &pv_root_group, ctx->p) < 0)
		return -1;
	if (!ctx->p->n_networks && !ctx->p->n_links)	/* a file of links only is a router lab */
		return pv_fail_line(ctx, 1, "networks", "no networks defined");
	if (!ctx->p->n_containers)
		return pv_fail_line(ctx, 1, "containers", "no containers defined");
	/* the checks across containers, once all are read */
	if (check_bridge_ports(ctx, root) < 0 || pv_depends_check(ctx, root) < 0 || pv_dns_check(ctx, root) < 0 ||
	    pv_links_check(ctx, root) < 0)
		return -1;
	return pv_routes_check(ctx, root);
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

/* The one loader both entry points share: ctx has file (or NULL), src (or NULL) and dir. */
static int load_config(struct ctx *ctx, const config_t *cfg, struct project **out)
{
	_cleanup_(project_freep) struct project *p = calloc(1, sizeof(*p));
	int rc;

	if (!p || (ctx->file && !(p->file = strdup(ctx->file))))
		return pv_oom(ctx);
	ctx->p = p;
	ctx->ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ctx->ncpu < 1)
		ctx->ncpu = 1;
	ctx->ram = sysconf(_SC_PHYS_PAGES) > 0 && sysconf(_SC_PAGESIZE) > 0
			   ? (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
	rc = load_root(ctx, config_root_setting(cfg));
	pv_index_free(ctx);
	if (rc < 0)
		return -1;
	*out = steal_pointer(&p);
	return 0;
}

int parser_load(const char *file, struct project **out, struct ce_error *err)
{
	_cleanup_(pv_source_free) struct source src = { 0 };
	_cleanup_(config_destroy) config_t cfg;
	_cleanup_free_ char *dir = NULL;
	struct ctx ctx = { .file = file, .err = err, .src = &src };

	config_init(&cfg);
	if (pv_source_read(file, &src, err) < 0 || pv_source_parse(&src, &cfg, err) < 0)
		return -1;
	dir = dir_of(file);
	if (!dir)
		return ce_error_set(err, ENOMEM, "%s", file);
	ctx.dir = dir;
	return load_config(&ctx, &cfg, out);
}

int parser_load_config(const config_t *cfg, const char *dir, struct project **out, struct ce_error *err)
{
	struct ctx ctx = { .dir = dir, .err = err };

	return load_config(&ctx, cfg, out);
}
