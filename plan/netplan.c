/* SPDX-License-Identifier: MIT */
/* plan/netplan.c: the project's model -> one container's flat network description, and the project's bridge ports (net/net.h). */
#include "plan/netplan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static bool zero16(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

static struct net_impair impair_of(const struct impair *im)
{
	return (struct net_impair){ .delay_us = im->delay_us, .jitter_us = im->jitter_us, .loss = im->loss,
				    .rate = im->rate };
}

/* A bridge network's interface: no link-local IPv6 where the network has no IPv6. */
static void network_iface(const struct project *p, const struct iface *f, struct net_iface_desc *o)
{
	const struct network *n = &p->networks[f->network];

	snprintf(o->name, sizeof(o->name), "%s", f->ifname);
	o->addr = f->addr;
	o->prefix = f->prefix;
	if (!zero16(f->addr6)) {
		memcpy(o->addr6, f->addr6, 16);
		o->prefix6 = n->prefix6;
	}
	o->no_ipv6 = n->prefix6 == 0;
	o->accept_ra = f->accept_ra;
	o->gateway = n->gateway;
	if (o->prefix6 && n->gateway && !zero16(n->gateway6))	/* the bridge's MAC comes from gateway */
		memcpy(o->gateway6, n->gateway6, 16);
	o->impair = impair_of(&f->impair);
}

/* A link end: its link-local IPv6 address stays. Its far end has the MAC net_mac_of(far address)
 * (net_p2p_create), so, as a bridge network's gateway, it gets a permanent neighbour entry: no ARP or
 * neighbour discovery, and no entry of the kernel's table, shared by every netns (1,024 by default),
 * which a fabric of 2,000 links would overflow. */
static void link_iface(const struct link_end *le, const struct link_end *far, struct net_iface_desc *o)
{
	snprintf(o->name, sizeof(o->name), "%s", le->ifname);
	o->addr = le->addr;
	o->prefix = le->prefix;
	if (le->prefix6) {
		memcpy(o->addr6, le->addr6, 16);
		o->prefix6 = le->prefix6;
	}
	if (le->addr && far->addr && far->addr != le->addr && !far->has_mac) {	/* a_mac/b_mac: ARP finds it */
		o->gateway = far->addr;
		if (le->prefix6 && far->prefix6)
			memcpy(o->gateway6, far->addr6, 16);
	}
	o->accept_ra = le->accept_ra;
	o->impair = impair_of(&le->impair);
}

static size_t link_ends_of(const struct project *p, size_t index)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_links; i++)
		n += (p->links[i].end[0].container == index) + (p->links[i].end[1].container == index);
	return n;
}

static void ifaces(const struct project *p, size_t index, struct net_iface_desc *o)
{
	const struct container *c = &p->containers[index];
	size_t k = 0;

	for (size_t i = 0; i < c->n_ifaces; i++)
		network_iface(p, &c->ifaces[i], &o[k++]);
	for (size_t i = 0; i < p->n_links; i++)
		for (int e = 0; e < 2; e++)
			if (p->links[i].end[e].container == index)
				link_iface(&p->links[i].end[e], &p->links[i].end[!e], &o[k++]);
}

static bool has_default(const struct container *c, int family)
{
	for (size_t i = 0; i < c->n_routes; i++)
		if (c->routes[i].family == family && c->routes[i].prefix == 0)
			return true;
	return false;
}

/* The default routes cengine adds itself: IPv4 via the first network with a
 * gateway, IPv6 via the first gateway6 of an interface with an IPv6 address. */
static size_t implied_routes(const struct project *p, const struct container *c, struct net_route_desc *o)
{
	size_t k = 0;

	for (size_t i = 0; i < c->n_ifaces && !has_default(c, AF_INET); i++) {
		uint32_t gw = p->networks[c->ifaces[i].network].gateway;

		if (gw) {
			o[k++] = (struct net_route_desc){ .family = AF_INET, .via = gw, .implied = true };
			break;
		}
	}
	for (size_t i = 0; i < c->n_ifaces && !has_default(c, AF_INET6); i++) {
		const struct network *n = &p->networks[c->ifaces[i].network];

		if (!zero16(c->ifaces[i].addr6) && !zero16(n->gateway6)) {
			o[k] = (struct net_route_desc){ .family = AF_INET6, .implied = true };
			memcpy(o[k++].via6, n->gateway6, 16);
			break;
		}
	}
	return k;
}

static void routes(const struct project *p, const struct container *c, struct net_container_desc *d)
{
	d->n_routes = implied_routes(p, c, d->routes);
	for (size_t i = 0; i < c->n_routes; i++) {
		const struct route *r = &c->routes[i];
		struct net_route_desc *o = &d->routes[d->n_routes++];

		*o = (struct net_route_desc){ .family = r->family, .to = r->to, .via = r->via, .prefix = r->prefix };
		memcpy(o->to6, r->to6, 16);
		memcpy(o->via6, r->via6, 16);
	}
}

int plan_container_net(const struct project *p, size_t index, struct net_container_desc *out,
		       struct ce_error *err)
{
	const struct container *c;
	struct net_container_desc d;

	*out = (struct net_container_desc){ 0 };
	if (index >= p->n_containers)
		return ce_error_set(err, EINVAL, "network plan: no container %zu (the project has %zu)", index,
				    p->n_containers);
	c = &p->containers[index];
	d = (struct net_container_desc){ .n_ifaces = c->n_ifaces + link_ends_of(p, index), .forward = c->forward };
	d.ifaces = calloc(d.n_ifaces + 1, sizeof(*d.ifaces));
	d.routes = calloc(c->n_routes + 2, sizeof(*d.routes));	/* + the implied IPv4 and IPv6 defaults */
	if (!d.ifaces || !d.routes) {
		plan_container_net_free(&d);
		return ce_error_set(err, ENOMEM, "container %s: network description", c->name);
	}
	ifaces(p, index, d.ifaces);
	routes(p, c, &d);
	*out = d;
	return 0;
}

void plan_container_net_free(struct net_container_desc *d)
{
	free(d->ifaces);
	free(d->routes);
	*d = (struct net_container_desc){ 0 };
}

/* ---- the project's bridge ports for net_filter_add() ---- */

static size_t count_ifaces(const struct project *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_containers; i++)
		n += p->containers[i].n_ifaces;
	return n;
}

static void filter_port(const struct project *p, const struct container *c, const struct iface *f,
			struct net_filter_port *o)
{
	const struct network *n = &p->networks[f->network];

	*o = (struct net_filter_port){ .addr = f->addr, .subnet = n->subnet, .prefix = n->prefix,
				       .prefix6 = n->prefix6, .router = c->forward || fixture_forwards(&c->fx),
				       .spoofing = c->sec.spoofing };
	snprintf(o->port, sizeof(o->port), "%s", f->host_ifname);
	memcpy(o->addr6, f->addr6, 16);
	memcpy(o->subnet6, n->subnet6, 16);
}

int plan_project_filter(const struct project *p, struct net_filter *out, struct ce_error *err)
{
	struct net_filter f = { .n_ports = count_ifaces(p), .n_nets = p->n_networks };
	size_t k = 0;

	*out = (struct net_filter){ 0 };
	f.ports = calloc(f.n_ports + 1, sizeof(*f.ports));
	f.nets = calloc(f.n_nets + 1, sizeof(*f.nets));
	if (!f.ports || !f.nets) {
		plan_project_filter_free(&f);
		return ce_error_set(err, ENOMEM, "project %s: filter description", p->name);
	}
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces; j++)
			filter_port(p, &p->containers[i], &p->containers[i].ifaces[j], &f.ports[k++]);
	for (size_t i = 0; i < p->n_networks; i++) {
		snprintf(f.nets[i].bridge, sizeof(f.nets[i].bridge), "%s", p->networks[i].bridge);
		f.nets[i].nat = p->networks[i].nat;
		f.nets[i].hostfw = !p->networks[i].firewall_off;
		f.nets[i].gateway = p->networks[i].gateway;
		memcpy(f.nets[i].gateway6, p->networks[i].gateway6, 16);
	}
	*out = f;
	return 0;
}

void plan_project_filter_free(struct net_filter *f)
{
	free(f->ports);
	free(f->nets);
	*f = (struct net_filter){ 0 };
}
