/* SPDX-License-Identifier: MIT */
/* net/topology.c: inside a container's netns, after its bridge interfaces: link ends, IPv6, impairments, routes, forwarding. */
#include "net/topology.h"

#include <string.h>
#include <sys/socket.h>

#include "util/cleanup.h"

static bool zero16(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

static int impair(struct net_ctx *nl, const char *name, const struct impair *im, struct ce_error *err)
{
	const struct net_impair n = { .delay_us = im->delay_us, .jitter_us = im->jitter_us,
				      .loss = im->loss, .rate = im->rate };

	return net_qdisc_set(nl, name, &n, err);
}

static int bridge_ifaces(struct net_ctx *nl, const struct project *p, const struct container *c,
			 struct ce_error *err)
{
	for (size_t i = 0; i < c->n_ifaces; i++) {
		const struct iface *f = &c->ifaces[i];
		int prefix6 = p->networks[f->network].prefix6;

		if (!zero16(f->addr6) && net_addr6_add(nl, f->ifname, f->addr6, prefix6, err) < 0)
			return -1;
		if (impair(nl, f->ifname, &f->impair, err) < 0)
			return -1;
	}
	return 0;
}

static int link_ends(struct net_ctx *nl, const struct project *p, size_t self, struct ce_error *err)
{
	for (size_t i = 0; i < p->n_links; i++)
		for (int e = 0; e < 2; e++) {
			const struct link_end *le = &p->links[i].end[e];

			if (le->container != self)
				continue;
			if (net_link_up_addr(nl, le->ifname, le->addr, le->prefix, err) < 0)
				return -1;
			if (le->prefix6 && net_addr6_add(nl, le->ifname, le->addr6, le->prefix6, err) < 0)
				return -1;
			if (impair(nl, le->ifname, &le->impair, err) < 0)
				return -1;
		}
	return 0;
}

bool net_topology_has_default(const struct container *c, int family)
{
	for (size_t i = 0; i < c->n_routes; i++)
		if (c->routes[i].family == family && c->routes[i].prefix == 0)
			return true;
	return false;
}

/* The first interface whose network has a gateway6, as for IPv4. */
static int default6(struct net_ctx *nl, const struct project *p, const struct container *c, struct ce_error *err)
{
	static const uint8_t any[16];

	if (net_topology_has_default(c, AF_INET6))
		return 0;
	for (size_t i = 0; i < c->n_ifaces; i++) {
		const struct network *n = &p->networks[c->ifaces[i].network];

		if (!zero16(c->ifaces[i].addr6) && !zero16(n->gateway6))
			return net_route_add(nl, AF_INET6, any, 0, n->gateway6, err);
	}
	return 0;
}

static int routes(struct net_ctx *nl, const struct container *c, struct ce_error *err)
{
	for (size_t i = 0; i < c->n_routes; i++) {
		const struct route *r = &c->routes[i];
		int rc = r->family == AF_INET ? net_route_add(nl, AF_INET, &r->to, r->prefix, &r->via, err)
					      : net_route_add(nl, AF_INET6, r->to6, r->prefix, r->via6, err);

		if (rc < 0)
			return -1;
	}
	return 0;
}

int net_topology_configure(const struct project *p, size_t self, struct ce_error *err)
{
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	const struct container *c = &p->containers[self];

	if (c->forward && net_forward_set(true, err) < 0)
		return -1;
	if (net_open(&nl, err) < 0)
		return -1;
	if (link_ends(nl, p, self, err) < 0 || bridge_ifaces(nl, p, c, err) < 0)
		return -1;
	if (default6(nl, p, c, err) < 0 || routes(nl, c, err) < 0)
		return -1;
	return 0;
}
