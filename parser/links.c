/* SPDX-License-Identifier: MIT */
/* links.c: the top-level `links` list: point-to-point veths between two containers, with impairments. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/topo.h"
#include "util/addr.h"

/* Which end a key is about: "a_ip" -> 0, "b_loss" -> 1, "delay" -> -1 (both). */
static int key_end(const char *key)
{
	if ((key[0] == 'a' || key[0] == 'b') && key[1] == '_')
		return key[0] - 'a';
	return -1;
}

static const char *key_base(const char *key)
{
	return key_end(key) < 0 ? key : key + 2;
}

/* Interfaces after the container's network ones: eth<n_ifaces + its link ends before this one>. */
static void end_ifname(struct ctx *ctx, struct link_end *le)
{
	size_t k = ctx->p->containers[le->container].n_ifaces + ctx->link_ends[le->container]++;

	snprintf(le->ifname, sizeof(le->ifname), "eth%zu", k);
}

static int l_container(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct link *l = obj;
	struct link_end *le = &l->end[!strcmp(config_setting_name(s), "b")];
	const struct project *p = ctx->p;
	const char *str = NULL, *name;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!(name = pv_name_find(ctx->names, str)))
		return pv_fail_at(ctx, s, path, "unknown container \"%s\"", str);
	le->container = (size_t)((const struct container *)(name - offsetof(struct container, name)) - p->containers);
	if (le == &l->end[1] && l->end[0].container == le->container)
		return pv_fail_at(ctx, s, path, "a link needs two different containers (a is %s too)", str);
	end_ifname(ctx, le);
	return 0;
}

/* a and b: start the link's line, "link web:eth1 - db:eth1". */
static void l_print_head(struct printer *pr, const void *obj)
{
	const struct link *l = obj;
	const struct container *c = pr->p->containers;

	fprintf(pr->out, "link %s:%s - %s:%s", c[l->end[0].container].name, l->end[0].ifname,
		c[l->end[1].container].name, l->end[1].ifname);
}

static int l_ip(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct link *l = obj;
	struct link_end *le = &l->end[key_end(config_setting_name(s))];
	const char *str = NULL;
	char a[16];

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (addr_parse(str, &le->addr, &le->prefix) < 0 || le->prefix < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" is not an address with prefix like 10.9.0.1/30", str);
	if (le->prefix < PREFIX_MIN || le->prefix > 31)
		return pv_fail_at(ctx, s, path, "prefix /%d is outside /%d../31", le->prefix, PREFIX_MIN);
	if (le->prefix < 31 && (le->addr == addr_network(le->addr, le->prefix) ||
				le->addr == (le->addr | ~addr_mask(le->prefix))))
		return pv_fail_at(ctx, s, path, "%s is the network or broadcast address", str);
	if (pv_addr_owner(ctx, le->addr) != PV_ADDR_FREE)	/* an interface's, or a link end's so far */
		return pv_fail_at(ctx, s, path, "%s is already used", addr_format(le->addr, a, sizeof(a)));
	if (le == &l->end[1] && l->end[0].addr &&
	    (l->end[0].prefix != le->prefix || !addr_in_subnet(le->addr, l->end[0].addr, le->prefix)))
		return pv_fail_at(ctx, s, path, "%s is not on the same subnet as a_ip", str);
	return pv_addr_add(ctx, le->addr, PV_ADDR_LINK);
}

/* Every key about an end (a_ip ... b_rate, and delay ... rate for both): a line for each end,
 * "  web:eth1 10.9.0.1/30 fd00:9::1/64 delay 20ms". */
static void l_print_end_lines(struct printer *pr, const void *obj)
{
	const struct link *l = obj;
	char a[48];

	for (int e = 0; e < 2; e++) {
		const struct link_end *le = &l->end[e];

		fprintf(pr->body, "  %s:%s", pr->p->containers[le->container].name, le->ifname);
		if (le->addr)
			fprintf(pr->body, " %s/%d", addr_format(le->addr, a, sizeof(a)), le->prefix);
		if (le->prefix6)
			fprintf(pr->body, " %s/%d", pv_ip6_format(le->addr6, a), le->prefix6);
		pv_impair_print(&le->impair, pr->body);
		if (le->accept_ra)
			fputs(" accept_ra", pr->body);
		if (le->has_mac)
			fprintf(pr->body, " mac %02x:%02x:%02x:%02x:%02x:%02x", le->mac[0], le->mac[1], le->mac[2],
				le->mac[3], le->mac[4], le->mac[5]);
		fputc('\n', pr->body);
	}
}

static int l_ipv6(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct link *l = obj;
	struct link_end *le = &l->end[key_end(config_setting_name(s))];
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (pv_ip6_parse(str, le->addr6, &le->prefix6) < 0 || le->prefix6 < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv6 address with prefix like fd00:9::1/64", str);
	if (le->prefix6 < 16 || le->prefix6 > 127)
		return pv_fail_at(ctx, s, path, "prefix /%d is outside /16../127", le->prefix6);
	if (le == &l->end[1] && l->end[0].prefix6 &&
	    (l->end[0].prefix6 != le->prefix6 || !pv_ip6_in_subnet(le->addr6, l->end[0].addr6, le->prefix6) ||
	     !memcmp(le->addr6, l->end[0].addr6, 16)))
		return pv_fail_at(ctx, s, path, "%s is not another address on a_ipv6's subnet", str);
	return 0;
}

/* delay/jitter/loss/rate: both ends; a_delay ... b_rate: one end (its egress). */
static int l_impair(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct link *l = obj;
	const char *key = config_setting_name(s);
	int end = key_end(key);

	for (int e = 0; e < 2; e++)
		if ((end < 0 || end == e) && pv_impair_set(ctx, s, path, key_base(key), &l->end[e].impair) < 0)
			return -1;
	return 0;
}

/* a_accept_ra, b_accept_ra: that end's container takes IPv6 router advertisements on it. */
static int l_accept_ra(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct link *l = obj;

	return pv_get_bool(ctx, s, path, &l->end[key_end(config_setting_name(s))].accept_ra);
}

static int l_mtu(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_get_mtu(ctx, s, path, &((struct link *)obj)->mtu);
}

static void l_print_mtu(struct printer *pr, const void *obj)
{
	const struct link *l = obj;

	if (l->mtu)
		pv_print_line(pr, "mtu %d", l->mtu);
}

/* A key of each end, a_KEY and b_KEY, shown in the ends' lines. */
#define L_ENDS(key, parse) { "a_" key, parse, l_print_end_lines, false }, { "b_" key, parse, l_print_end_lines, false }
/* The impairments, of both ends (prefix "") or of one ("a_", "b_"). */
#define L_IMPAIRS(prefix)										\
	{ prefix "delay", l_impair, l_print_end_lines, false }, { prefix "jitter", l_impair, l_print_end_lines, false }, \
	{ prefix "loss", l_impair, l_print_end_lines, false }, { prefix "rate", l_impair, l_print_end_lines, false }

/* Table order is parser order: both-end impairments before the per-end ones override them. */
static const struct key link_keys[] = {
	{ "a", l_container, l_print_head, false }, { "b", l_container, l_print_head, false },
	L_ENDS("ip", l_ip), L_ENDS("ipv6", l_ipv6), PV_KEY(l, mtu),
	L_IMPAIRS(""), L_IMPAIRS("a_"), L_IMPAIRS("b_"),
	L_ENDS("accept_ra", l_accept_ra),
	{ "a_ifname", pv_link_ifname, l_print_head, false }, { "b_ifname", pv_link_ifname, l_print_head, false },
	L_ENDS("mac", pv_link_mac), PV_END,
};

PV_KEY_GROUP(pv_link_group, "link", link_keys);

static int link_pair_check(struct ctx *ctx, const config_setting_t *e, const char *path, const struct link *l)
{
	char sub[PATH_LEN];

	pv_path_key(sub, path, "b_ip");
	if (!!l->end[0].addr != !!l->end[1].addr)
		return pv_fail_at(ctx, e, sub, "a_ip and b_ip go together");
	pv_path_key(sub, path, "b_ipv6");
	if (!!l->end[0].prefix6 != !!l->end[1].prefix6)
		return pv_fail_at(ctx, e, sub, "a_ipv6 and b_ipv6 go together");
	return 0;
}

int pv_links_load(struct ctx *ctx, const config_setting_t *s, const char *path)
{
	struct project *p = ctx->p;

	p->links = pv_list_alloc(ctx, s, path, "{ a = ...; b = ...; a_ip = ...; b_ip = ...; }", "links", LINKS_MAX,
				 sizeof(*p->links));
	if (!p->links)
		return -1;
	ctx->link_ends = calloc(p->n_containers + 1, sizeof(*ctx->link_ends));
	if (!ctx->link_ends)
		return pv_oom(ctx);
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		struct link *l = &p->links[i];
		char elem[PATH_LEN];

		pv_path_elem(elem, path, i);
		l->line = pv_line(ctx, e);
		if (pv_require(ctx, e, elem, "a") < 0 || pv_require(ctx, e, elem, "b") < 0 ||
		    pv_apply_keys(ctx, e, elem, &pv_link_group, l) < 0 ||
		    link_pair_check(ctx, e, elem, l) < 0)
			return -1;
		p->n_links++;
	}
	return 0;
}

