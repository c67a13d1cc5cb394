/* SPDX-License-Identifier: MIT */
/* net/nl.h: private libnl helpers shared by the net/ sources (context, cleanup, errors). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include "util/cleanup.h"
#include "util/error.h"

struct net_ctx {
	struct nl_sock *sk;
	uint32_t group;		/* IFLA_GROUP given to host links this ctx creates; 0 = none */
	int ioctl_fd;		/* AF_INET socket for ioctls, opened on first use; -1 until then */
};

CE_DEFINE_CLEANUP(struct nl_sock, nl_socket_free, nl_socket_freep)
CE_DEFINE_CLEANUP(struct nl_addr, nl_addr_put, nl_addr_putp)
CE_DEFINE_CLEANUP(struct nl_cache, nl_cache_free, nl_cache_freep)
CE_DEFINE_CLEANUP(struct rtnl_link, rtnl_link_put, rtnl_link_putp)
CE_DEFINE_CLEANUP(struct rtnl_addr, rtnl_addr_put, rtnl_addr_putp)
CE_DEFINE_CLEANUP(struct rtnl_route, rtnl_route_put, rtnl_route_putp)

/* One RTM_DELLINK of every link in interface group `group` (host netns);
 * none there is fine. Returns when the kernel is done (rcu_barrier included). */
int netnl_delete_group(struct net_ctx *ctx, uint32_t group, struct ce_error *err);

/* The same request sent by a forked child (net/unlist.c): returns once the
 * kernel has unlisted the group's `members` links `ifindex` (closed, and no
 * longer found by index), while the child waits out the kernel's deferred
 * teardown (~30 ms) and exits. Creating a link of the same name meanwhile
 * waits for the child's RTNL section, so names are free for reuse. */
int netnl_delete_group_detached(struct net_ctx *ctx, uint32_t group, const int *ifindex, size_t members,
				struct ce_error *err);

/* Just after creating host link `name`: its ifindex (returned), then, in one
 * request to that index, its mark `alias` (NULL: none) and, with no_ipv6, IPv6
 * address generation mode none (see netnl_link_no_ipv6). */
int netnl_link_mark(struct net_ctx *ctx, const char *name, const char *alias, bool no_ipv6, struct ce_error *err);

/* Delete the link of index ifindex (`name` for messages); a missing one is fine. */
int netnl_link_delete_index(struct nl_sock *sk, int ifindex, const char *name, struct ce_error *err);

/* errno value closest to a (negative or positive) libnl error code. */
int netnl_errno(int nlerr);

/* Like ce_error_set() for a libnl error: message "<fmt>: nl_geterror()",
 * err->code the matching errno. Returns -1. */
int netnl_error(struct ce_error *err, int nlerr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* New NETLINK_ROUTE socket in the caller's current netns. */
int netnl_socket(struct nl_sock **out, struct ce_error *err);

/* Interface index of link `name` in sk's netns (an ioctl on sk: no RTM_GETLINK, no RTNL). */
int netnl_ifindex(struct nl_sock *sk, const char *name, int *ifindex, struct ce_error *err);

/* IPv4 nl_addr for addr/prefix (host byte order in); NULL on ENOMEM. */
struct nl_addr *netnl_addr4(uint32_t addr, int prefix);

/* Host byte order IPv4 of an nl_addr; -1 unless it is a 4-byte AF_INET one. */
int netnl_addr4_get(struct nl_addr *a, uint32_t *out);

/* Add addr/prefix (with broadcast) to ifindex; EEXIST counts as success. */
int netnl_addr_add(struct nl_sock *sk, int ifindex, const char *name, uint32_t addr, int prefix,
		   struct ce_error *err);

/* IPv6 address generation mode "none" on link `name` (no link-local address, so
 * no DAD, router solicitation or MLD traffic). Set it while the link has no
 * carrier: an address made before stays. */
int netnl_link_no_ipv6(struct nl_sock *sk, const char *name, struct ce_error *err);

/* The link-layer address net_mac_of(addr) as an nl_addr (NULL: no memory). */
struct nl_addr *netnl_mac_of(uint32_t addr);

/* Permanent neighbour entry addr -> net_mac_of(addr) on link ifindex (replaces one). */
int netnl_neigh_add(struct nl_sock *sk, int ifindex, const char *ifname, uint32_t addr, struct ce_error *err);
/* Permanent IPv6 neighbour entry addr6 -> net_mac_of(mac_addr) on link ifindex (replaces one). */
int netnl_neigh6_add(struct nl_sock *sk, int ifindex, const char *ifname, const uint8_t addr6[16], uint32_t mac_addr,
		     struct ce_error *err);

/* Route to dst/prefix via `via` (as net_route_add) with routing protocol
 * `protocol` (RTPROT_BOOT, RTPROT_STATIC). */
int netnl_route_add(struct nl_sock *sk, int family, const void *dst, int prefix, const void *via, int protocol,
		    struct ce_error *err);

/* veth.c: both ends of a veth pair get one tx and one rx queue (see veth.c: no synchronize_net()
 * per end), and mtu when it is > 0. */
void netnl_veth_ends(struct rtnl_link *a, struct rtnl_link *b, int mtu);
/* veth.c: ETHTOOL_GLINK on `name` through ioctl_fd (a socket of the link's netns): linkwatch
 * handles the link's pending carrier event now (see net_veth_settle). */
int netnl_link_settle(int ioctl_fd, const char *name, struct ce_error *err);

/* Set IFF_UP on the link called `name`: one RTM_NEWLINK, no lookup. */
int netnl_link_up_name(struct nl_sock *sk, const char *name, struct ce_error *err);
