/* SPDX-License-Identifier: MIT */
/* net/container.c: apply a container's network description inside its own netns, through one socket. */
#include "net/net.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/nl.h"

/* IPv4 address, no_ipv6 (while the link is down, see netnl_link_no_ipv6),
 * accept_ra (before the link is up: an advertisement could come at once), the
 * gateway's neighbour entry, up: its index (netnl_ifindex) and a request each. */
static int iface_up(struct nl_sock *sk, const struct net_iface_desc *f, bool forward, struct ce_error *err)
{
	int ifindex;

	if (netnl_ifindex(sk, f->name, &ifindex, err) < 0)
		return -1;
	if (f->addr && netnl_addr_add(sk, ifindex, f->name, f->addr, f->prefix, err) < 0)
		return -1;
	if (f->no_ipv6 && netnl_link_no_ipv6(sk, f->name, err) < 0)
		return -1;
	if (net_ipv6_accept_ra(f->name, f->accept_ra ? 1 + forward : 0, err) < 0)
		return -1;
	if (f->gateway && netnl_neigh_add(sk, ifindex, f->name, f->gateway, err) < 0)
		return -1;
	return netnl_link_up_name(sk, f->name, err);
}

int net_link_up_addr(struct net_ctx *ctx, const char *name, uint32_t addr, int prefix, struct ce_error *err)
{
	struct net_iface_desc f = { .addr = addr, .prefix = prefix };

	snprintf(f.name, sizeof(f.name), "%s", name);
	return iface_up(ctx->sk, &f, false, err);
}

static bool zero16(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

/* After every interface is up: its IPv6 address (no DAD), its gateway6's
 * neighbour entry (the bridge's MAC, as the IPv4 gateway's) and its egress qdiscs. */
static int iface_finish(struct net_ctx *ctx, const struct net_iface_desc *f, struct ce_error *err)
{
	int ifindex;

	if (f->prefix6 && net_addr6_add(ctx, f->name, f->addr6, f->prefix6, err) < 0)
		return -1;
	if (f->gateway && !zero16(f->gateway6) &&
	    (netnl_ifindex(ctx->sk, f->name, &ifindex, err) < 0 ||
	     netnl_neigh6_add(ctx->sk, ifindex, f->name, f->gateway6, f->gateway, err) < 0))
		return -1;
	return net_qdisc_set(ctx, f->name, &f->impair, err);
}

static int route_add(struct nl_sock *sk, const struct net_route_desc *r, struct ce_error *err)
{
	int protocol = r->implied ? RTPROT_BOOT : RTPROT_STATIC;

	if (r->family == AF_INET)
		return netnl_route_add(sk, AF_INET, &r->to, r->prefix, &r->via, protocol, err);
	return netnl_route_add(sk, AF_INET6, r->to6, r->prefix, r->via6, protocol, err);
}

int net_container_apply(const struct net_container_desc *d, struct ce_error *err)
{
	_cleanup_(net_closep) struct net_ctx *nl = NULL;

	/* off too: a new netns copies the host's ip_forward (net.core.devconf_inherit_init_net 0), which
	 * another project's nat may have turned on, and a container that is not a router must not route */
	if (net_forward_set(d->forward, err) < 0)
		return -1;
	if (net_open(&nl, err) < 0 || netnl_link_up_name(nl->sk, "lo", err) < 0)
		return -1;
	for (size_t i = 0; i < d->n_ifaces; i++)
		if (iface_up(nl->sk, &d->ifaces[i], d->forward, err) < 0)
			return -1;
	for (size_t i = 0; i < d->n_ifaces; i++)
		if (iface_finish(nl, &d->ifaces[i], err) < 0)
			return -1;
	for (size_t i = 0; i < d->n_routes; i++)
		if (route_add(nl->sk, &d->routes[i], err) < 0)
			return -1;
	return 0;
}
