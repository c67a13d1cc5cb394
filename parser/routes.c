/* SPDX-License-Identifier: MIT */
/* routes.c: container keys for topologies: routes and forward. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parser/topo.h"
#include "util/addr.h"

/* ---- routes ---- */

static int route_to(struct ctx *ctx, const config_setting_t *s, const char *path, struct route *r)
{
	const char *str = NULL;
	int prefix = -1;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!strcmp(str, "default"))
		return 0;	/* family decided by via, prefix 0 */
	if (addr_parse(str, &r->to, &prefix) == 0 && prefix >= 0) {
		if (r->family == AF_INET6)
			return pv_fail_at(ctx, s, path, "%s is IPv4 but via is IPv6", str);
		if (addr_network(r->to, prefix) != r->to)
			return pv_fail_at(ctx, s, path, "%s has host bits set", str);
		r->family = AF_INET;
	} else if (pv_ip6_parse(str, r->to6, &prefix) == 0 && prefix >= 0) {
		if (r->family == AF_INET)
			return pv_fail_at(ctx, s, path, "%s is IPv6 but via is IPv4", str);
		r->family = AF_INET6;
	} else {
		return pv_fail_at(ctx, s, path, "\"%s\" is not a destination like 10.2.0.0/24, fd00:2::/64 or \"default\"",
				  str);
	}
	r->prefix = prefix;
	return 0;
}

static int route_via(struct ctx *ctx, const config_setting_t *s, const char *path, struct route *r)
{
	const char *str = NULL;
	int prefix;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (addr_parse(str, &r->via, NULL) == 0)
		r->family = AF_INET;
	else if (pv_ip6_parse(str, r->via6, &prefix) == 0 && prefix < 0)
		r->family = AF_INET6;
	else
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv4 or IPv6 address", str);
	return 0;
}

static int route_load(struct ctx *ctx, const config_setting_t *e, const char *path, struct route *r)
{
	char sub[PATH_LEN];

	if (pv_require(ctx, e, path, "to") < 0 || pv_require(ctx, e, path, "via") < 0)
		return -1;
	for (int i = 0; i < config_setting_length(e); i++) {
		const char *k = config_setting_name(config_setting_get_elem(e, i));

		pv_path_key(sub, path, k);
		if (strcmp(k, "to") && strcmp(k, "via"))
			return pv_fail_at(ctx, config_setting_get_elem(e, i), sub, "unknown key");
	}
	pv_path_key(sub, path, "via");
	if (route_via(ctx, config_setting_get_member(e, "via"), sub, r) < 0)
		return -1;
	pv_path_key(sub, path, "to");
	r->line = pv_line(ctx, e);
	return route_to(ctx, config_setting_get_member(e, "to"), sub, r);
}

static int c_routes(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	int n = config_setting_length(s);
	char elem[PATH_LEN];

	if (pv_check_list(ctx, s, path, "{ to = ...; via = ...; }") < 0 ||
	    pv_hold(ctx, s, path, (size_t)n * sizeof(*c->routes)) < 0)
		return -1;
	free(c->routes);
	c->n_routes = 0;
	c->routes = calloc((size_t)n, sizeof(*c->routes));
	if (!c->routes)
		return pv_oom(ctx);
	for (int i = 0; i < n; i++) {
		struct route *r = &c->routes[i];

		pv_path_elem(elem, path, i);
		if (route_load(ctx, config_setting_get_elem(s, i), elem, r) < 0)
			return -1;
		r->entry = (int)ctx->entry;
		r->index = i;
		c->n_routes++;
	}
	return 0;
}

/* "  route 10.2.0.0/24 via 10.1.0.1" for each route. */
static void c_print_routes(struct printer *pr, const void *obj)
{
	const struct container *c = obj;
	char a[48], b[48];

	for (size_t i = 0; i < c->n_routes; i++) {
		const struct route *r = &c->routes[i];

		if (r->family == AF_INET)
			pv_print_line(pr, "route %s/%d via %s", addr_format(r->to, a, sizeof(a)), r->prefix,
				      addr_format(r->via, b, sizeof(b)));
		else
			pv_print_line(pr, "route %s/%d via %s", pv_ip6_format(r->to6, a), r->prefix,
				      pv_ip6_format(r->via6, b));
	}
}

/* The link ends of each container: ends[first[c] .. first[c + 1]) (one pass over the links, so the
 * check below is linear in routes and ends, not routes times links). */
struct ends_index {
	size_t *first;
	const struct link_end **ends;
};

static void ends_index_free(struct ends_index *x)
{
	free(x->first);
	free(x->ends);
}

static int ends_index_build(const struct project *p, struct ends_index *x)
{
	size_t *fill;

	x->first = calloc(p->n_containers + 1, sizeof(*x->first));
	x->ends = calloc(2 * p->n_links + 1, sizeof(*x->ends));
	fill = calloc(p->n_containers + 1, sizeof(*fill));
	if (!x->first || !x->ends || !fill) {
		free(fill);
		return -1;
	}
	for (size_t i = 0; i < p->n_links; i++)
		for (int e = 0; e < 2; e++)
			x->first[p->links[i].end[e].container + 1]++;
	for (size_t c = 0; c < p->n_containers; c++)
		fill[c] = x->first[c + 1] += x->first[c];
	for (size_t i = p->n_links; i-- > 0;)	/* filled from the back: each container's ends in link order */
		for (int e = 1; e >= 0; e--)
			x->ends[--fill[p->links[i].end[e].container]] = &p->links[i].end[e];
	free(fill);
	return 0;
}

static bool via_reachable(const struct project *p, const struct container *c, const struct ends_index *x,
			  const struct route *r)
{
	size_t self = (size_t)(c - p->containers);

	for (size_t i = 0; i < c->n_ifaces; i++) {
		const struct network *n = &p->networks[c->ifaces[i].network];

		if (r->family == AF_INET ? addr_in_subnet(r->via, n->subnet, n->prefix)
					 : n->prefix6 && pv_ip6_in_subnet(r->via6, n->subnet6, n->prefix6))
			return true;
	}
	for (size_t k = x->first[self]; k < x->first[self + 1]; k++) {
		const struct link_end *le = x->ends[k];

		if (r->family == AF_INET ? le->addr && addr_in_subnet(r->via, le->addr, le->prefix)
					 : le->prefix6 && pv_ip6_in_subnet(r->via6, le->addr6, le->prefix6))
			return true;
	}
	return false;
}

/* The route's own setting (in its containers entry, or in defaults), for the error's file and line. */
static const config_setting_t *route_setting(const struct ctx *ctx, const config_setting_t *root,
					     const struct route *r)
{
	const config_setting_t *list = config_setting_get_member(root, "containers");
	const config_setting_t *e = list ? config_setting_get_elem(list, (unsigned)r->entry) : NULL;
	const config_setting_t *routes = e && config_setting_is_group(e) ? config_setting_get_member(e, "routes") : NULL;

	if (!routes && ctx->defaults)
		routes = config_setting_get_member(ctx->defaults, "routes");
	routes = routes ? config_setting_get_elem(routes, (unsigned)r->index) : NULL;
	return routes ? routes : root;
}

int pv_routes_check(struct ctx *ctx, const config_setting_t *root)
{
	const struct project *p = ctx->p;
	struct ends_index x = { 0 };
	char path[PATH_LEN];
	int rc = 0;

	if (ends_index_build(p, &x) < 0) {
		ends_index_free(&x);
		return pv_oom(ctx);
	}
	for (size_t i = 0; i < p->n_containers && rc == 0; i++) {
		const struct container *c = &p->containers[i];

		for (size_t j = 0; j < c->n_routes && rc == 0; j++) {
			const struct route *r = &c->routes[j];

			snprintf(path, sizeof(path), "containers.[%d].routes.[%d].via", r->entry, r->index);
			if (!via_reachable(p, c, &x, r))
				rc = pv_fail_at(ctx, route_setting(ctx, root, r), path,
						"the gateway is on none of %s's networks or links", c->name);
		}
	}
	ends_index_free(&x);
	return rc;
}

/* ---- forward ---- */

static int c_forward(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;

	return pv_get_bool(ctx, s, path, &c->forward);
}

static void c_print_forward(struct printer *pr, const void *obj)
{
	if (((const struct container *)obj)->forward)
		pv_print_line(pr, "forward on (own netns)");
}

const struct key pv_topo_keys[] = {
	PV_KEY(c, routes), PV_KEY(c, forward), PV_END,
};
