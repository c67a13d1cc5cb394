/* SPDX-License-Identifier: MIT */
/* linkends.c: link end names and MACs (a_ifname, b_mac, ...) and the checks across links once all are read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/topo.h"

/* Which end a key is about: "a_ifname" -> 0, "b_mac" -> 1. */
static struct link_end *end_of(const config_setting_t *s, void *obj)
{
	return &((struct link *)obj)->end[config_setting_name(s)[0] == 'b'];
}

int pv_link_ifname(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct link_end *le = end_of(s, obj);
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (strlen(str) >= CE_IFNAME_MAX || !pv_valid_ifname(str) || !strcmp(str, "lo"))
		return pv_fail_at(ctx, s, path, "\"%s\" is not an interface name (1 to %d of A-Z a-z 0-9 _ . -, not lo)",
				  str, CE_IFNAME_MAX - 1);
	strcpy(le->ifname, str);
	le->named = true;
	ctx->link_ends[le->container]--;	/* its ethN is the next unnamed end's */
	return 0;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "02:00:5e:10:00:01" or "02-00-5e-10-00-01" into mac. */
static bool parse_mac(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17 || (s[2] != ':' && s[2] != '-'))
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hex(s[3 * i]), lo = hex(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != s[2]))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* A unicast MAC, not all zero. */
int pv_link_mac(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct link_end *le = end_of(s, obj);
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!parse_mac(str, le->mac))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a MAC address like 02:00:00:00:00:01", str);
	if (le->mac[0] & 1)
		return pv_fail_at(ctx, s, path, "%s is a multicast address (the first byte is odd)", str);
	if (!memcmp(le->mac, (uint8_t[6]){ 0 }, 6))
		return pv_fail_at(ctx, s, path, "%s is all zero", str);
	le->has_mac = true;
	return 0;
}

/* One name or MAC with where it came from, sorted to find the same one twice. */
struct seen {
	size_t container;	/* for names; 0 for MACs */
	const char *name;	/* an ifname, or NULL for a MAC */
	const uint8_t *mac;
	int link;		/* index into links, -1 for a network interface */
	int end;
};

static int cmp_seen(const void *x, const void *y)
{
	const struct seen *a = x, *b = y;

	if (a->container != b->container)
		return a->container < b->container ? -1 : 1;
	return a->name ? strcmp(a->name, b->name) : memcmp(a->mac, b->mac, 6);
}

/* containers: network interfaces and link ends, by container and name; else link ends with a MAC. */
static size_t collect(const struct project *p, bool names, struct seen *v)
{
	size_t n = 0;

	for (size_t i = 0; names && i < p->n_containers; i++)
		for (size_t k = 0; k < p->containers[i].n_ifaces; k++)
			v[n++] = (struct seen){ i, p->containers[i].ifaces[k].ifname, NULL, -1, 0 };
	for (size_t l = 0; l < p->n_links; l++)
		for (int e = 0; e < 2; e++) {
			const struct link_end *le = &p->links[l].end[e];

			if (names)
				v[n++] = (struct seen){ le->container, le->ifname, NULL, (int)l, e };
			else if (le->has_mac)
				v[n++] = (struct seen){ 0, NULL, le->mac, (int)l, e };
		}
	return n;
}

/* Where a pair is refused: at the end named by a_ifname/b_ifname if one is, else at the later link. */
static const struct seen *blame(const struct seen *x, const struct seen *y, const struct project *p, bool names)
{
	bool nx = x->link >= 0 && p->links[x->link].end[x->end].named;
	bool ny = y->link >= 0 && p->links[y->link].end[y->end].named;

	if (names && nx != ny)
		return nx ? x : y;
	return x->link > y->link ? x : y;
}

static int fail_twice(struct ctx *ctx, const config_setting_t *root, const struct seen *b, bool names)
{
	const struct link_end *le = &ctx->p->links[b->link].end[b->end];
	const config_setting_t *e = config_setting_get_elem(config_setting_get_member(root, "links"), (unsigned)b->link);
	const char *what = names ? (le->named ? "ifname" : "") : "mac";
	char path[PATH_LEN], key[16];
	const config_setting_t *at;

	snprintf(key, sizeof(key), "%c%s%s", 'a' + b->end, *what ? "_" : "", what);
	at = config_setting_get_member(e, key);
	snprintf(path, sizeof(path), "links.[%d].%s", b->link, key);
	if (!names)
		return pv_fail_at(ctx, at ? at : e, path, "the MAC is already on another link end");
	return pv_fail_at(ctx, at ? at : e, path, "%s already has an interface %s%s", ctx->p->containers[b->container].name,
			  b->name, le->named ? "" : " (name this end with a_ifname or b_ifname)");
}

/* The first pair of the same name (or MAC) refused. */
static int find_twice(struct ctx *ctx, const config_setting_t *root, bool names)
{
	const struct project *p = ctx->p;
	size_t total = p->n_links * 2, n;
	struct seen *v;
	int rc = 0;

	for (size_t i = 0; names && i < p->n_containers; i++)
		total += p->containers[i].n_ifaces;
	if (!(v = calloc(total + 1, sizeof(*v))))
		return pv_oom(ctx);
	n = collect(p, names, v);
	qsort(v, n, sizeof(*v), cmp_seen);
	for (size_t i = 1; i < n && rc == 0; i++)
		if (!cmp_seen(&v[i - 1], &v[i]))
			rc = fail_twice(ctx, root, blame(&v[i - 1], &v[i], p, names), names);
	free(v);
	return rc;
}

int pv_links_check(struct ctx *ctx, const config_setting_t *root)
{
	struct pv_entries x = { 0 };
	char path[PATH_LEN];
	int rc = pv_entries_build(ctx, root, &x);
	bool *linked = calloc(ctx->p->n_containers + 1, sizeof(*linked));

	if (!linked && rc == 0)
		rc = pv_oom(ctx);
	for (size_t l = 0; rc == 0 && l < ctx->p->n_links; l++)
		linked[ctx->p->links[l].end[0].container] = linked[ctx->p->links[l].end[1].container] = true;
	for (size_t i = 0; i < ctx->p->n_containers && rc == 0; i++) {
		if (ctx->p->containers[i].n_ifaces || linked[i])
			continue;
		pv_path_elem(path, "containers", x.index[i]);
		rc = pv_fail_at(ctx, x.setting[i], path, "has no ip, interfaces or links");
	}
	pv_entries_free(&x);
	free(linked);
	if (rc == 0 && ctx->p->n_links)
		rc = find_twice(ctx, root, true);
	return rc == 0 && ctx->p->n_links ? find_twice(ctx, root, false) : rc;
}
