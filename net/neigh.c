/* SPDX-License-Identifier: MIT */
/* net/neigh.c: MACs derived from IPv4 addresses, and permanent neighbour entries made from them. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <sys/socket.h>

#include <netlink/route/neighbour.h>

#include "net/nl.h"
#include "util/addr.h"

void net_mac_of(uint32_t addr, uint8_t mac[6])
{
	mac[0] = 0x02, mac[1] = 0xce;	/* locally administered, unicast */
	mac[2] = (uint8_t)(addr >> 24), mac[3] = (uint8_t)(addr >> 16);
	mac[4] = (uint8_t)(addr >> 8), mac[5] = (uint8_t)addr;
}

struct nl_addr *netnl_mac_of(uint32_t addr)
{
	uint8_t mac[6];

	net_mac_of(addr, mac);
	return nl_addr_build(AF_LLC, mac, sizeof(mac));
}

CE_DEFINE_CLEANUP(struct rtnl_neigh, rtnl_neigh_put, rtnl_neigh_putp)

/* Permanent entry dst -> net_mac_of(mac_addr) on ifindex (replaces one). */
static int neigh_add(struct nl_sock *sk, int ifindex, struct nl_addr *dst, uint32_t mac_addr)
{
	_cleanup_(rtnl_neigh_putp) struct rtnl_neigh *n = rtnl_neigh_alloc();
	_cleanup_(nl_addr_putp) struct nl_addr *mac = netnl_mac_of(mac_addr);
	int rc = -NLE_NOMEM;

	if (n && dst && mac) {
		rtnl_neigh_set_ifindex(n, ifindex);
		rtnl_neigh_set_family(n, nl_addr_get_family(dst));
		rtnl_neigh_set_state(n, NUD_PERMANENT);
		rtnl_neigh_set_lladdr(n, mac);
		rc = rtnl_neigh_set_dst(n, dst);
	}
	if (rc == 0)
		rc = rtnl_neigh_add(sk, n, NLM_F_CREATE | NLM_F_REPLACE);
	return rc;
}

int netnl_neigh_add(struct nl_sock *sk, int ifindex, const char *ifname, uint32_t addr, struct ce_error *err)
{
	_cleanup_(nl_addr_putp) struct nl_addr *dst = netnl_addr4(addr, 32);
	char buf[16];
	int rc = neigh_add(sk, ifindex, dst, addr);

	if (rc < 0)
		return netnl_error(err, rc, "neighbour %s on %s", addr_format(addr, buf, sizeof(buf)), ifname);
	return 0;
}

int netnl_neigh6_add(struct nl_sock *sk, int ifindex, const char *ifname, const uint8_t addr6[16], uint32_t mac_addr,
		     struct ce_error *err)
{
	_cleanup_(nl_addr_putp) struct nl_addr *dst = nl_addr_build(AF_INET6, addr6, 16);
	char buf[INET6_ADDRSTRLEN];
	int rc;

	if (dst)
		nl_addr_set_prefixlen(dst, 128);
	rc = neigh_add(sk, ifindex, dst, mac_addr);
	if (rc < 0)
		return netnl_error(err, rc, "neighbour %s on %s", inet_ntop(AF_INET6, addr6, buf, sizeof(buf)), ifname);
	return 0;
}

/* Static bridge forwarding entry net_mac_of(addr) -> port (AF_BRIDGE, NTF_MASTER, NUD_NOARP), sticky
 * (NTF_STICKY): the bridge does not move it to a port that sends a frame with this source MAC. */
static int fdb_add(struct nl_sock *sk, int port, const char *port_name, uint32_t addr, struct ce_error *err)
{
	_cleanup_(rtnl_neigh_putp) struct rtnl_neigh *n = rtnl_neigh_alloc();
	_cleanup_(nl_addr_putp) struct nl_addr *mac = netnl_mac_of(addr);
	int rc = -NLE_NOMEM;

	if (n && mac) {
		rtnl_neigh_set_ifindex(n, port);
		rtnl_neigh_set_family(n, AF_BRIDGE);
		rtnl_neigh_set_flags(n, NTF_MASTER | NTF_STICKY);
		rtnl_neigh_set_state(n, NUD_NOARP);
		rtnl_neigh_set_lladdr(n, mac);
		rc = rtnl_neigh_add(sk, n, NLM_F_CREATE | NLM_F_REPLACE);
	}
	if (rc < 0)
		return netnl_error(err, rc, "bridge forwarding entry on %s", port_name);
	return 0;
}

/* One link dump for all names, then up to three requests a port: no lookup per port. */
int net_ports_known(struct net_ctx *ctx, const struct net_port *ports, size_t n, struct ce_error *err)
{
	_cleanup_(nl_cache_freep) struct nl_cache *links = NULL;
	int rc = n ? rtnl_link_alloc_cache(ctx->sk, AF_UNSPEC, &links) : 0;

	if (rc < 0)
		return netnl_error(err, rc, "list links");
	for (size_t i = 0; i < n; i++) {
		const struct net_port *p = &ports[i];
		bool host = p->gateway || p->gateway6;
		int port = rtnl_link_name2i(links, p->port), br = host ? rtnl_link_name2i(links, p->bridge) : 0;

		if (!port || (host && !br))
			return ce_error_set(err, ENODEV, "port %s of bridge %s is gone", p->port, p->bridge);
		if (fdb_add(ctx->sk, port, p->port, p->addr, err) < 0 ||
		    (p->gateway && netnl_neigh_add(ctx->sk, br, p->bridge, p->addr, err) < 0) ||
		    (p->gateway6 && netnl_neigh6_add(ctx->sk, br, p->bridge, p->addr6, p->addr, err) < 0))
			return -1;
	}
	return 0;
}
