/* SPDX-License-Identifier: MIT */
/* net.h: host and container networking through libnl-route-3 (no `ip` binary). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct net_ctx;	/* one NETLINK_ROUTE socket (libnl), opened in the caller's netns */

int net_open(struct net_ctx **out, struct ce_error *err);
void net_close(struct net_ctx *ctx);
static inline void net_closep(struct net_ctx **ctx)
{
	if (*ctx)
		net_close(*ctx);
}

/* Tag every host link (bridge, veth host end) created through ctx from now
 * on with interface group `group` (IFLA_GROUP, set in the creating request),
 * so that they can all be deleted in one kernel batch (net_links_delete_owned). */
void net_set_group(struct net_ctx *ctx, uint32_t group);

/* Ownership. The group is no proof that a link is a project's (a 32-bit hash,
 * and anyone may use any group): each host link is also marked with an alias
 * (IFLA_IFALIAS, given by the caller: "cengine:<project>:<role>") right after
 * it is made (the kernel ignores an alias in the creating request), and its
 * ifindex is recorded by the caller once it is marked. */
#define NET_ALIAS_MAX 128

/* A host link as a project's journal lists it, for net_links_delete_owned(). */
struct net_owned {
	const char *name;		/* its name when it was made */
	const char *alias;		/* the mark it was made with */
	int ifindex;			/* recorded once made and marked; 0: not recorded */
	enum { NET_OWNED_GONE, NET_OWNED_DELETED, NET_OWNED_FOREIGN } fate;	/* set by the call */
	char seen[NET_ALIAS_MAX];	/* NET_OWNED_FOREIGN: the alias of the link found there ("": none) */
};

/* Delete the links that are still the ones listed, and nothing else. A link is
 * one of them when: with a recorded ifindex, the link of that index carries
 * the listed alias (whatever its name now); without, the link of that name
 * carries the listed alias, or no alias at all and the group `group` (made in
 * the instant before its mark, or by a cengine before marks). Anything else
 * found under the name or index is someone else's and stays (fate
 * NET_OWNED_FOREIGN); nothing there: NET_OWNED_GONE. When every link of
 * `group` is one to delete, they go in one RTM_DELLINK by group (one
 * unregister batch: one RCU grace period instead of one per link), sent by a
 * forked child: this returns once the kernel announced every one gone and the
 * child finishes the kernel's deferred teardown (~30 ms) alone; the rest one
 * by one, by ifindex. */
int net_links_delete_owned(struct net_ctx *ctx, uint32_t group, struct net_owned *links, size_t n,
			   struct ce_error *err);

/* Is one of names[0..n) a link here? 1: the first one's index in *which and
 * its alias in alias ("" when none); 0: all free. One link dump. */
int net_links_taken(struct net_ctx *ctx, const char *const *names, size_t n, size_t *which, char *alias,
		    size_t len, struct ce_error *err);

/* gc (marked.c): every host link that carries an alias (name, ifindex, alias); *out to free. */
struct net_aliased {
	char name[16];
	int ifindex;
	char alias[NET_ALIAS_MAX];
};
int net_links_aliased(struct net_ctx *ctx, struct net_aliased **out, size_t *n, struct ce_error *err);
/* gc: the P of every nftables table named cengine-P (any family), once each; NULL-terminated
 * *names to free (each and the array). libnftables is dlopen()ed. */
int net_nft_projects(char ***names, size_t *n, struct ce_error *err);

/* Refuse (return -1, err says which host address or route) a subnet that
 * overlaps an IPv4 address or a non-default route on the host, except
 * those on the link named own_bridge (may be NULL). */
int net_subnet_check_free(struct net_ctx *ctx, uint32_t subnet, int prefix,
			  const char *own_bridge, struct ce_error *err);
/* The same for an IPv6 subnet (network byte order): its host IPv6 addresses and
 * non-default routes, link-local ones included (a subnet6 inside fe80::/10 meets
 * every link's route). err->code EADDRINUSE for an overlap. */
int net_subnet6_check_free(struct net_ctx *ctx, const uint8_t subnet6[16], int prefix6,
			   const char *own_bridge, struct ce_error *err);

/* Does a link with this name exist in ctx's netns? */
bool net_link_exists(struct net_ctx *ctx, const char *name);

/* Create bridge `name` (mtu 0 = default), marked with `alias` (NULL: none),
 * and bring it up; !ipv6: with no IPv6 link-local address; gateway != 0: with
 * the MAC net_mac_of(gateway) (fixed, whatever ports join). The host takes no
 * IPv6 router advertisement or redirect on it (net_ipv6_no_ra). Returns its
 * ifindex, or -1; EEXIST in err->code if a link of that name exists. */
int net_bridge_create(struct net_ctx *ctx, const char *name, const char *alias, int mtu, bool ipv6,
		      uint32_t gateway, struct ce_error *err);

/* Add gateway/prefix to link `name` (EEXIST is not an error). */
int net_addr_add(struct net_ctx *ctx, const char *name, uint32_t addr, int prefix, struct ce_error *err);

/* No IPv6 link-local address on `name` (see netnl_link_no_ipv6): bridges, host
 * veth ends, and container interfaces of networks without IPv6, whose router
 * solicitations, DAD and MLD reports a bridge would flood to every port. */
int net_link_no_ipv6(struct net_ctx *ctx, const char *name, struct ce_error *err);

/* A veth pair made in one request, then its host end marked. */
struct net_veth {
	const char *host_name;	/* host end: enslaved to `bridge`, up, no IPv6 address of its own */
	const char *alias;	/* the host end's mark; NULL: none */
	const char *bridge;
	int netns_fd;		/* the peer is created directly in this netns (never moved), down */
	const char *peer_name;
	int mtu;		/* both ends; 0 = default */
	uint32_t peer_addr;	/* != 0: the peer's MAC is net_mac_of(peer_addr) */
};
/* Returns the host end's ifindex, or -1 (EEXIST in err->code if the name is taken). */
int net_veth_create(struct net_ctx *ctx, const struct net_veth *v, struct ce_error *err);

/* A host veth end as a bridge port of a container: no IPv6 of its own (as
 * net_link_no_ipv6), and learning off unless `learning` (the bridge then
 * knows the container's MAC only from net_ports_known's sticky entry), in one
 * RTM_NEWLINK; then no router advertisements or redirects (net_ipv6_no_ra). */
int net_port_prepare(struct net_ctx *ctx, const char *name, bool learning, struct ce_error *err);

/* IPv6 router advertisements and redirects ignored on link `name` of the
 * caller's netns (net.ipv6.conf.<name>.accept_ra and accept_redirects = 0).
 * The kernel takes neither through netlink (IFLA_INET6_CONF is read-only), so
 * they are written to /proc/sys by file descriptor. No IPv6 in the kernel:
 * nothing to do. net_ipv6_accept_ra() sets accept_ra alone: 0 never, 1 unless
 * forwarding, 2 even when forwarding. */
int net_ipv6_no_ra(const char *name, struct ce_error *err);
int net_ipv6_accept_ra(const char *name, int level, struct ce_error *err);

/* Once the container brought its end up: have the kernel activate the host
 * end now (its carrier event, see net/veth.c) rather than when linkwatch gets
 * to it, up to seconds later with hundreds of containers. */
int net_veth_settle(struct net_ctx *ctx, const char *host_name, struct ce_error *err);

/* The MAC cengine gives an interface with IPv4 address addr: 02:ce and the
 * address's four bytes (locally administered, unique on a network), so that
 * neighbours can be told it without ARP. */
void net_mac_of(uint32_t addr, uint8_t mac[6]);

/* The container with address `addr` sits behind bridge port `port`: a static,
 * sticky forwarding entry for its MAC on the port (else the bridge floods the
 * first frames to it out of every port; sticky: a frame from another port with
 * that source MAC does not move it), and with gateway, the host's permanent
 * neighbour entry for it on `bridge` (each container has one for its gateway,
 * see struct net_iface_desc), with gateway6 one for addr6 too. No ARP or
 * neighbour solicitation, flooded to every bridge port, is needed then, a
 * forged reply cannot change them, and permanent entries do not count against
 * the kernel's neighbour table limits (gc_thresh3, shared by all namespaces).
 * All ports after one link dump. */
struct net_port {
	const char *bridge, *port;
	uint32_t addr;
	bool gateway;
	uint8_t addr6[16];		/* network byte order; pinned on `bridge` with gateway6 */
	bool gateway6;
};
int net_ports_known(struct net_ctx *ctx, const struct net_port *ports, size_t n, struct ce_error *err);

/* Delete link `name`; a missing link is not an error. */
int net_link_delete(struct net_ctx *ctx, const char *name, struct ce_error *err);

/* ---- a container's own network, described flat by the plan (plan/netplan.c) ---- */

#define NET_IFNAME_MAX 16	/* IFNAMSIZ */

/* Egress impairments of one interface: netem (delay, jitter, loss) as the
 * root qdisc, tbf (rate) as the root or under netem. All 0 = nothing. */
struct net_impair {
	uint32_t delay_us;
	uint32_t jitter_us;
	double loss;		/* percent */
	uint64_t rate;		/* bytes per second */
};

/* One interface inside a container: a bridge network's veth end or a
 * point-to-point link end, both already in the container's netns. */
struct net_iface_desc {
	char name[NET_IFNAME_MAX];	/* eth0, eth1, ... */
	uint32_t addr;			/* IPv4, host byte order; 0: none */
	int prefix;
	uint8_t addr6[16];		/* IPv6, network byte order, added without DAD */
	int prefix6;			/* 0: no IPv6 address */
	bool no_ipv6;			/* no IPv6 link-local address either (see net_link_no_ipv6) */
	bool accept_ra;			/* take IPv6 router advertisements (else accept_ra = 0) */
	uint32_t gateway;		/* the network's gateway, or a link's far end: a permanent neighbour
					 * entry gateway -> net_mac_of(gateway); 0: none */
	uint8_t gateway6[16];		/* with gateway: a permanent neighbour entry gateway6 -> net_mac_of(gateway)
					 * (the bridge's or the far end's MAC); all zero: none */
	struct net_impair impair;	/* on this interface's egress */
};

/* A route inside a container: to/prefix (prefix 0: default) via a gateway. */
struct net_route_desc {
	int family;			/* AF_INET or AF_INET6 */
	uint32_t to, via;		/* AF_INET: host byte order */
	uint8_t to6[16], via6[16];	/* AF_INET6: network byte order */
	int prefix;
	bool implied;			/* cengine's default route via the first gateway (proto boot),
					 * not a route the file lists (proto static) */
};

/* Everything a container sets in its own netns, complete: nothing else is looked up. */
struct net_container_desc {
	struct net_iface_desc *ifaces;	/* in name order: network interfaces, then link ends */
	size_t n_ifaces;
	struct net_route_desc *routes;	/* added in this order */
	size_t n_routes;
	bool forward;			/* ip_forward and IPv6 forwarding in the container's netns */
};

/* Called by the container process itself, in its netns, through one netlink
 * socket: forwarding on or off; lo up; each interface's IPv4 address, no_ipv6, accept_ra,
 * gateway neighbour entry, up; then each one's IPv6 address, gateway6 neighbour
 * entry and qdiscs; then the routes (their gateways are reachable by then). An
 * empty description brings lo up. */
int net_container_apply(const struct net_container_desc *d, struct ce_error *err);

/* ---- topologies (link.c, addr6.c, route.c, qdisc.c, forward.c, nat.c) ---- */

/* A veth pair between two network namespaces in one RTM_NEWLINK: `name_a`
 * created directly in netns_a, its peer `name_b` directly in netns_b (never
 * moved), both down. mtu 0 = default. */
int net_p2p_create(struct net_ctx *ctx, int netns_a, const char *name_a, int netns_b,
		   const char *name_b, int mtu, struct ce_error *err);
/* The same with a MAC address for each end (mac NULL: the kernel's random one). */
struct net_p2p_end {
	int netns;
	const char *name;
	const uint8_t *mac;	/* 6 bytes, or NULL */
};
int net_p2p_create_ends(struct net_ctx *ctx, const struct net_p2p_end *a, const struct net_p2p_end *b, int mtu,
			struct ce_error *err);

/* The link ends in one container's netns, for net_links_settle. */
struct net_link_ends {
	int netns_fd;
	const char *const *names;
	size_t n;
};
/* Once both ends of every link are up: each end whose carrier came with its far end (the one
 * that came up first) forwards now, not when linkwatch gets to it (seconds for 2,000 links,
 * see net_veth_settle). One thread enters each netns in turn; the caller's stays. */
int net_links_settle(const struct net_link_ends *c, size_t n, struct ce_error *err);

/* Bring link `name` up, with addr/prefix when addr != 0 (in ctx's netns). */
int net_link_up_addr(struct net_ctx *ctx, const char *name, uint32_t addr, int prefix, struct ce_error *err);

/* Add IPv6 addr6/prefix (network byte order) to link `name` with IFA_F_NODAD:
 * usable at once, no duplicate-address-detection wait. EEXIST is fine. */
int net_addr6_add(struct net_ctx *ctx, const char *name, const uint8_t addr6[16], int prefix,
		  struct ce_error *err);

/* Route to dst/prefix (prefix 0: default) via gateway; family AF_INET
 * (dst/via: uint32_t host order) or AF_INET6 (16 bytes, network order). */
int net_route_add(struct net_ctx *ctx, int family, const void *dst, int prefix, const void *via,
		  struct ce_error *err);

/* Impairments `im` (struct net_impair) on the egress of link `name`. */
int net_qdisc_set(struct net_ctx *ctx, const char *name, const struct net_impair *im, struct ce_error *err);

/* net.ipv4.ip_forward and net.ipv6.conf.all.forwarding of the caller's netns. */
int net_forward_set(bool on, struct ce_error *err);

/* Host ip_forward shared by projects: the first user saves the old value in
 * <state root>/ip_forward.saved and sets 1; net_host_forward_release() puts
 * the saved value back when no other project journal (lists `in_use`) uses it. */
int net_host_forward_acquire(const char *state_root, struct ce_error *err);
int net_host_forward_release(const char *state_root, bool in_use, struct ce_error *err);

/* nftables table "cengine-<project>" (libnftables): masquerade each subnet
 * leaving through any host link but its bridge. Made with "create" (a table of
 * that name already there is an error, not taken over) and the table comment
 * `mark`, the project's proof that it made the table. Table names cannot meet:
 * project names are [A-Za-z0-9_-]{1,32}, so "cengine-" + name is one table per
 * project; another table of cengine's must use a character project names lack
 * ('.') to stay apart from them. */
struct net_nat {
	uint32_t subnet;
	int prefix;
	const char *bridge;
};
int net_nat_add(const char *project, const char *mark, const struct net_nat *nets, size_t n, struct ce_error *err);
/* Delete the table when it carries the comment `mark` (0); a missing table is
 * fine (0); a table without the mark stays: 1, err (code EPERM) says so. */
int net_nat_remove(const char *project, const char *mark, struct ce_error *err);
/* Can nat tables be made here (libnftables loads)? Checked before anything is journalled. */
int net_nat_available(struct ce_error *err);

/* ---- source filtering and forwarding policy (filter.c), all of a project in one nftables batch ---- */

/* One bridge port of a container: what it may send as. */
struct net_filter_port {
	char port[NET_IFNAME_MAX];	/* host veth end */
	uint32_t addr;			/* its IPv4 address; its MAC is net_mac_of(addr) */
	uint32_t subnet;		/* its network */
	int prefix;
	uint8_t addr6[16];		/* its IPv6 address (network byte order); all zero: none */
	uint8_t subnet6[16];		/* its network's IPv6 subnet; prefix6 0: the network has no IPv6, */
	int prefix6;			/* and the port sends none (no link-local address either) */
	bool router;			/* forward = true: may send others' packets (sources outside its
					 * network), router advertisements and redirects */
	bool spoofing;			/* spoofing = true: not filtered at all */
};

/* One bridge network of the project: the host forwards none of its traffic to
 * another bridge, and to other host links only with nat (and the replies back). */
struct net_filter_net {
	char bridge[NET_IFNAME_MAX];
	bool nat;
	bool hostfw;			/* firewall = "manage": allowed through the host's dropping chains */
	uint32_t gateway;		/* the host's address on the bridge; 0: none */
	uint8_t gateway6[16];		/* all zero: none */
};

struct net_hostfw;

struct net_filter {
	struct net_filter_port *ports;
	size_t n_ports;
	struct net_filter_net *nets;
	size_t n_nets;
	const struct net_hostfw *host;	/* the host's dropping chains (net_hostfw_inspect) to add allow
					 * rules to, for the nets with hostfw; NULL: none */
};

/* The comments the project's tables carry (its marks: see naming_mark), the
 * filter tables' and the nat table's, and the comment of each allow rule in a
 * host chain; removal checks them. */
struct net_marks {
	const char *filter;
	const char *nat;
	const char *hostfw;
};

/* A batch running in a child process (net_filter_start), or none: pid -1. */
struct net_pending {
	int pid;
	int fd;			/* the child's answer */
};
#define NET_PENDING_NONE { -1, -1 }
/* The child's answer (0, or -1 with its error; err may be NULL), once it is done; at
 * once when none is pending. */
int net_pending_wait(struct net_pending *p, struct ce_error *err);
static inline void net_pending_waitp(struct net_pending *p)
{
	net_pending_wait(p, NULL);
}

/* In one atomic libnftables batch: table bridge cengine-<project>, where
 * each container port may only send frames as its own MAC, IPv4, IPv6 and
 * link-local addresses (ARP and neighbour advertisements included), only IPv4,
 * IPv6 and ARP, and no router advertisements or redirects unless a router;
 * table inet cengine-<project>, whose forward chain drops what the host would
 * route between the project's bridges and any other bridge or host link,
 * except a nat network's egress and its replies; and the nat table of `nats`
 * (see net_nat_add), when n_nats > 0. The bridge and inet tables carry the
 * comment m->filter, the nat table m->nat. Nothing is made when a table of the
 * project is already there (never merged into an old one, "create"). */
int net_filter_add(const char *project, const struct net_marks *m, const struct net_filter *f,
		   const struct net_nat *nats, size_t n_nats, struct ce_error *err);
/* The same batch run by a child process while the caller goes on (up: while it
 * makes bridges, cgroups and containers); its answer comes from net_pending_wait(). */
int net_filter_start(const char *project, const struct net_marks *m, const struct net_filter *f,
		     const struct net_nat *nats, size_t n_nats, struct net_pending *p, struct ce_error *err);
/* Delete both tables where they carry the comment `mark` (0); missing ones are
 * fine (0); a table without the mark stays: 1, err (code EPERM) says so (the
 * other, marked, is still deleted). */
int net_filter_remove(const char *project, const char *mark, struct ce_error *err);
/* Can the tables be made here (libnftables loads)? Checked before anything is journalled. */
int net_filter_available(struct ce_error *err);

/* ---- the host's own firewall (hostfw.c, legacy.c): its forward and input paths ---- */

/* A chain of the host's nftables ruleset (iptables-nft's included) that drops
 * what a project's bridges send; cengine's allow rules go at its top. */
struct net_hostfw_chain {
	char family[8];			/* ip, ip6 or inet; legacy4 or legacy6: iptables-legacy's table filter */
	char table[64];
	char chain[64];			/* the dropping base chain, or Docker's DOCKER-USER that it jumps to first */
	bool forward;			/* hook forward; else hook input (the gateway) */
	char why[96];			/* what drops there: "FORWARD policy drop", "filter_FORWARD ends in reject" */
};

#define NET_HOSTFW_CHAINS 12

/* What the host does with a project's traffic, found by looking (no change). */
struct net_hostfw {
	const char *kind;		/* "docker", "ufw", "firewalld", "nftables", "iptables-legacy" or "open" */
	struct net_hostfw_chain chains[NET_HOSTFW_CHAINS];
	size_t n_chains;
	char legacy[128];		/* iptables-legacy chains that drop ("iptables-legacy filter FORWARD policy
					 * DROP") where cengine cannot add rules (libip4tc or libip6tc does not
					 * load): "" when none */
	bool br_netfilter;		/* bridged frames pass the iptables hooks (bridge-nf-call-iptables = 1) */
};

/* Look at the caller's netns: the nftables base chains of hooks forward and input
 * (tables cengine-* aside) with policy drop, or ending in an unconditional drop or
 * reject (firewalld); Docker's DOCKER-USER; iptables-legacy's filter policies
 * (x_tables, read through getsockopt) and its DOCKER-USER (libip4tc); br_netfilter. */
int net_hostfw_inspect(struct net_hostfw *h, struct ce_error *err);

/* Add the allow rules to the chains of flt->host in iptables-legacy's filter table (families
 * legacy4 and legacy6: through libip4tc and libip6tc, under the xtables lock); the nftables ones
 * go in the project's batch (net_filter_start). */
int net_hostfw_legacy_add(const struct net_filter *flt, const char *mark, struct ce_error *err);

/* For gc, where no journal is left: a project with allow rules (comment cengine:<project>:hostfw) in
 * a chain of the host's, one entry per project and chain. Only the chains net_hostfw_inspect finds
 * (up puts rules nowhere else). *out to free. */
#define NET_PROJECT_MAX 32		/* CE_PROJECT_MAX (net does not include the model) */
struct net_hostfw_owner {
	char project[NET_PROJECT_MAX + 1];
	struct net_hostfw_chain chain;
};
int net_hostfw_owners(struct net_hostfw_owner **out, size_t *n, struct ce_error *err);

/* "ip filter DOCKER-USER", "iptables-legacy filter FORWARD": the chain as its tools name it. */
void net_hostfw_chain_name(const struct net_hostfw_chain *c, char *buf, size_t len);

/* Delete the rules of chain `chain` of table `family` `table` whose comment is
 * `mark`, by their handles, and nothing else; a missing table or chain is fine. */
int net_hostfw_remove(const char *family, const char *table, const char *chain, const char *mark,
		      struct ce_error *err);

/* iptables-legacy (x_tables) table filter of family AF_INET or AF_INET6: 1 when
 * its chain FORWARD (forward) or INPUT has policy DROP, 0 when not or when the
 * table is not loaded (nothing is loaded by asking), -1 on error. */
int net_legacy_policy_drops(int family, bool forward, struct ce_error *err);
