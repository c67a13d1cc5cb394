/* SPDX-License-Identifier: MIT */
/* network.c: the keys of a `networks` entry and of an interface, and address checks. */
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

#include "model/naming.h"
#include "model/strv.h"
#include "parser/internal.h"
#include "parser/topo.h"
#include "util/addr.h"
#include "util/cleanup.h"

/* ---- addresses ---- */

const char *pv_subnet_str(const struct network *n, char buf[32])
{
	return network_subnet_text(n, buf);
}

/* addr must be a usable host address of n (not network, not broadcast). */
static int check_host(struct ctx *ctx, const config_setting_t *s, const char *path,
		      const struct network *n, uint32_t addr)
{
	char a[16], sub[32];
	const char *what = NULL;

	addr_format(addr, a, sizeof(a));
	if (!addr_in_subnet(addr, n->subnet, n->prefix))
		return pv_fail_at(ctx, s, path, "%s is outside %s %s", a, n->name, pv_subnet_str(n, sub));
	if (addr == n->subnet)
		what = "network";
	else if (addr == (n->subnet | ~addr_mask(n->prefix)))
		what = "broadcast";
	if (what)
		return pv_fail_at(ctx, s, path, "%s is the %s address of %s %s", a, what, n->name,
				  pv_subnet_str(n, sub));
	return 0;
}

static int check_addr_free(struct ctx *ctx, const config_setting_t *s, const char *path,
			   const struct network *n, uint32_t addr)
{
	long owner = pv_addr_owner(ctx, addr);
	char a[16];

	addr_format(addr, a, sizeof(a));
	if (addr == n->gateway)
		return pv_fail_at(ctx, s, path, "%s is the gateway of %s", a, n->name);
	if (owner >= 0)
		return pv_fail_at(ctx, s, path, "%s is already used by %s", a, ctx->p->containers[owner].name);
	return 0;
}

/* ---- network keys ---- */

static size_t net_index(const struct ctx *ctx, const struct network *n)
{
	return (size_t)(n - ctx->p->networks);
}

static int net_name(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;

	const char *had;

	if (pv_set_name(ctx, s, path, n->name) < 0)
		return -1;
	if (!(had = pv_name_add(ctx, &ctx->net_names, n->name)))
		return -1;
	if (had != n->name)
		return pv_fail_at(ctx, s, path, "\"%s\" is already used by networks.[%zu]", n->name,
				  net_index(ctx, (const struct network *)(had - offsetof(struct network, name))));
	return 0;
}

/* Starts the network's line. */
static void net_print_name(struct printer *pr, const void *obj)
{
	fprintf(pr->out, "network %s", ((const struct network *)obj)->name);
}

static int net_overlap(struct ctx *ctx, const config_setting_t *s, const char *path, struct network *n)
{
	char a[32], b[32];

	for (size_t i = 0; i < net_index(ctx, n); i++) {
		const struct network *o = &ctx->p->networks[i];

		if (addr_subnets_overlap(n->subnet, n->prefix, o->subnet, o->prefix))
			return pv_fail_at(ctx, s, path, "%s overlaps %s %s", pv_subnet_str(n, a), o->name,
					  pv_subnet_str(o, b));
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

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!strncmp(str, "auto", 4))
		return pv_subnet_auto(ctx, s, path, n, net_index(ctx, n), str);
	if (addr_parse(str, &addr, &prefix) < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv4 subnet like 192.168.1.0/24", str);
	if (prefix < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" has no prefix, like 192.168.1.0/24", str);
	if (prefix < PREFIX_MIN || prefix > PREFIX_MAX)
		return pv_fail_at(ctx, s, path, "prefix /%d is outside /%d../%d", prefix, PREFIX_MIN, PREFIX_MAX);
	if (addr_network(addr, prefix) != addr)
		return pv_fail_at(ctx, s, path, "%s has host bits set, the network is %s/%d", str,
				  addr_format(addr_network(addr, prefix), a, sizeof(a)), prefix);
	n->subnet = addr;
	n->prefix = prefix;
	return net_overlap(ctx, s, path, n);
}

static void net_print_subnet(struct printer *pr, const void *obj)
{
	char sub[32];

	pv_print_field(pr, "subnet %s", pv_subnet_str(obj, sub));
}

static int net_gateway(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;
	const char *str = NULL;
	uint32_t addr;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!strcmp(str, "auto"))	/* the first address */
		addr = n->subnet + 1;
	else if (n->subnet_auto)
		return pv_fail_at(ctx, s, path, "the subnet of %s is \"auto\": its gateway is \"auto\" or none", n->name);
	else if (addr_parse(str, &addr, NULL) < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv4 address or \"auto\"", str);
	if (check_host(ctx, s, path, n, addr) < 0)
		return -1;
	n->gateway = addr;
	return 0;
}

static void net_print_gateway(struct printer *pr, const void *obj)
{
	const struct network *n = obj;
	char gw[32];

	pv_print_field(pr, "gateway %s", n->gateway ? network_addr_text(n, n->gateway, gw) : "-");
}

static int net_bridge(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;
	const char *str = NULL;

	if (pv_get_name(ctx, s, path, CE_IFNAME_MAX, pv_valid_ifname, "interface name", &str) < 0)
		return -1;
	for (size_t i = 0; i < net_index(ctx, n); i++)
		if (!strcmp(ctx->p->networks[i].bridge, str))
			return pv_fail_at(ctx, s, path, "%s is already used by %s", str, ctx->p->networks[i].name);
	strcpy(n->bridge, str);
	return 0;
}

/* The bridge given, or the one naming_bridge() makes (network_load). */
static void net_print_bridge(struct printer *pr, const void *obj)
{
	pv_print_field(pr, "bridge %s", ((const struct network *)obj)->bridge);
}

static int net_mtu(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_get_mtu(ctx, s, path, &((struct network *)obj)->mtu);
}

static void net_print_mtu(struct printer *pr, const void *obj)
{
	const struct network *n = obj;

	if (n->mtu)
		pv_print_field(pr, "mtu %d", n->mtu);
}

static int net_nat(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;

	if (pv_get_bool(ctx, s, path, &n->nat) < 0)
		return -1;
	if (n->nat && !n->gateway)
		return pv_fail_at(ctx, s, path, "nat needs a gateway on %s (the host's address on the bridge)", n->name);
	return 0;
}

static void net_print_nat(struct printer *pr, const void *obj)
{
	if (((const struct network *)obj)->nat)
		pv_print_line(pr, "nat: masquerade to other host links (nftables table of the project)");
}

static int net_firewall(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (strcmp(str, "manage") && strcmp(str, "off"))
		return pv_fail_at(ctx, s, path, "\"%s\" is not \"manage\" or \"off\"", str);
	((struct network *)obj)->firewall_off = !strcmp(str, "off");
	return 0;
}

static void net_print_firewall(struct printer *pr, const void *obj)
{
	if (((const struct network *)obj)->firewall_off)
		pv_print_line(pr, "firewall: off (no allow rules in the host's firewall; up warns when it drops)");
}

/* Parsers run in this order: the subnet before the gateway, the gateway before nat. */
static const struct key network_keys[] = {
	PV_KEY(net, name), PV_KEY(net, bridge), PV_KEY(net, subnet), PV_KEY(net, gateway), PV_KEY(net, mtu),
	{ "subnet6", pv_net_subnet6, pv_net_print6, false }, { "gateway6", pv_net_gateway6, pv_net_print6, false },
	PV_KEY(net, nat), PV_KEY(net, firewall), PV_END,
};

PV_KEY_GROUP(pv_network_group, "network", network_keys);

int pv_network_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct network *n)
{
	n->line = pv_line(ctx, s);
	if (pv_require(ctx, s, path, "name") < 0 || pv_require(ctx, s, path, "subnet") < 0)
		return -1;
	if (pv_apply_keys(ctx, s, path, &pv_network_group, n) < 0)
		return -1;
	if (n->bridge[0])
		return 0;
	naming_bridge(ctx->p->name, n->name, n->bridge);
	for (size_t i = 0; i < net_index(ctx, n); i++)
		if (!strcmp(ctx->p->networks[i].bridge, n->bridge))
			return pv_fail_at(ctx, s, path, "its default bridge %s is already used by %s", n->bridge,
					  ctx->p->networks[i].name);
	return 0;
}

/* ---- interfaces ---- */

int pv_add_iface(struct ctx *ctx, struct container *c, size_t net,
		 const config_setting_t *s, const char *path)
{
	const struct network *n = &ctx->p->networks[net];
	struct iface *ifaces = c->ifaces, *i;
	const char *str = NULL;
	char sub[32];
	uint32_t addr;
	int prefix;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!strcmp(str, "auto")) {
		if (pv_addr_auto(ctx, s, path, net, &addr) < 0)
			return -1;
	} else if (n->subnet_auto) {
		return pv_fail_at(ctx, s, path, "the subnet of %s is \"auto\": its addresses are \"auto\" too", n->name);
	} else if (addr_parse(str, &addr, &prefix) < 0) {
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv4 address", str);
	} else if (prefix >= 0 && prefix != n->prefix) {
		return pv_fail_at(ctx, s, path, "prefix /%d does not match %s %s", prefix, n->name, pv_subnet_str(n, sub));
	} else {
		addr += (uint32_t)ctx->copy;	/* count: copies count up */
	}
	if (check_host(ctx, s, path, n, addr) < 0 || check_addr_free(ctx, s, path, n, addr) < 0 ||
	    pv_hold(ctx, s, path, sizeof(*ifaces)) < 0 || pv_addr_add(ctx, addr, (long)(c - ctx->p->containers)) < 0)
		return -1;
	if (!(c->n_ifaces & (c->n_ifaces - 1))) {	/* room doubles at 0, 1, 2, 4, ...: linear in all */
		ifaces = realloc(c->ifaces, (c->n_ifaces ? 2 * c->n_ifaces : 1) * sizeof(*ifaces));
		if (!ifaces)
			return pv_oom(ctx);
		c->ifaces = ifaces;
	}
	i = &ifaces[c->n_ifaces];
	*i = (struct iface){ .network = net, .addr = addr, .prefix = n->prefix,
			     .line = pv_line(ctx, s) };
	snprintf(i->ifname, sizeof(i->ifname), "eth%zu", c->n_ifaces);
	naming_veth(ctx->p->name, c->name, c->n_ifaces, i->host_ifname);
	c->n_ifaces++;
	return 0;
}

static int if_network(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct iface_spec *spec = obj;
	size_t self = (size_t)(spec->c - ctx->p->containers) + 1;
	const char *str = NULL, *name;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!(name = pv_name_find(ctx->net_names, str)))
		return pv_fail_at(ctx, s, path, "unknown network \"%s\"", str);
	spec->network = (long)net_index(ctx, (const struct network *)(name - offsetof(struct network, name)));
	if (!ctx->ifaces_on && !(ctx->ifaces_on = calloc(ctx->p->n_networks, sizeof(*ctx->ifaces_on))))
		return pv_oom(ctx);
	if (ctx->ifaces_on[spec->network] == self)	/* interfaces are read a container at a time */
		return pv_fail_at(ctx, s, path, "%s already has an interface on %s", spec->c->name, str);
	ctx->ifaces_on[spec->network] = self;
	return 0;
}

static int if_ip(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct iface_spec *spec = obj;

	return pv_add_iface(ctx, spec->c, (size_t)spec->network, s, path);
}

/* network and ip (and a container's ip): "  eth0 192.168.1.2/24 on lan (host veth ve1a2b3c4d-0)" */
static void if_print(struct printer *pr, const void *obj)
{
	const struct iface *f = obj;
	char a[32];

	pv_print_line(pr, "%s %s/%d on %s (host veth %s)", f->ifname, network_addr_text(&pr->p->networks[f->network], f->addr, a), f->prefix,
		      pr->p->networks[f->network].name, f->host_ifname);
}

static int if_ipv6(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct iface_spec *spec = obj;

	return pv_iface_ipv6(ctx, spec->c, s, path);
}

static void if_print_ipv6(struct printer *pr, const void *obj)
{
	const struct iface *f = obj;
	char a[48];

	if (!pv_ip6_is_zero(f->addr6))
		pv_print_line(pr, "%s ipv6 %s", f->ifname, network_addr6_text(&pr->p->networks[f->network], f->addr6, a));
}

static int if_impair(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct iface_spec *spec = obj;

	return pv_impair_set(ctx, s, path, config_setting_name(s),
			     &spec->c->ifaces[spec->c->n_ifaces - 1].impair);
}

/* delay, jitter, loss, rate: "  eth0 egress delay 50ms loss 1%" */
static void if_print_impair(struct printer *pr, const void *obj)
{
	const struct iface *f = obj;

	if (!pv_impair_is_set(&f->impair))
		return;
	fprintf(pr->body, "  %s egress", f->ifname);
	pv_impair_print(&f->impair, pr->body);
	fputc('\n', pr->body);
}

/* accept_ra = true: the container takes IPv6 router advertisements on this interface (off by default). */
static int if_accept_ra(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct iface_spec *spec = obj;

	return pv_get_bool(ctx, s, path, &spec->c->ifaces[spec->c->n_ifaces - 1].accept_ra);
}

static void if_print_accept_ra(struct printer *pr, const void *obj)
{
	const struct iface *f = obj;

	if (f->accept_ra)
		pv_print_line(pr, "%s accepts IPv6 router advertisements", f->ifname);
}

/* Parsers run in this order: the interface exists (ip) before ipv6 and impairments. They read
 * into a struct iface_spec; the printers show the struct iface made. */
static const struct key iface_keys[] = {
	{ "network", if_network, if_print, false }, { "ip", if_ip, if_print, false },
	{ "ipv6", if_ipv6, if_print_ipv6, false },
	{ "delay", if_impair, if_print_impair, false }, { "jitter", if_impair, if_print_impair, false },
	{ "loss", if_impair, if_print_impair, false }, { "rate", if_impair, if_print_impair, false },
	{ "accept_ra", if_accept_ra, if_print_accept_ra, false }, PV_END,
};

PV_KEY_GROUP(pv_iface_group, "interface", iface_keys);
