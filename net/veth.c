/* SPDX-License-Identifier: MIT */
/* net/veth.c: veth pair in one RTM_NEWLINK, peer born inside the container netns; the host end marked. */
#include "net/net.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/route/link/veth.h>

#include "net/nl.h"

/* Host end: enslaved to master_index and up. Peer: named, in netns_fd, down.
 * libnl's veth_put_attrs() serialises the peer with rtnl_link_fill_info(),
 * which emits IFLA_NET_NS_FD inside VETH_INFO_PEER, so the kernel creates
 * the peer directly in the target namespace. Both ends get one tx and one rx
 * queue up front: without IFLA_NUM_*_QUEUES the kernel allocates one per CPU
 * and then shrinks the real count to 1 after registration, which costs a
 * synchronize_net() per end (about half the time of the whole request). */
void netnl_veth_ends(struct rtnl_link *a, struct rtnl_link *b, int mtu)
{
	rtnl_link_set_num_tx_queues(a, 1);
	rtnl_link_set_num_rx_queues(a, 1);
	rtnl_link_set_num_tx_queues(b, 1);
	rtnl_link_set_num_rx_queues(b, 1);
	if (mtu > 0) {
		rtnl_link_set_mtu(a, (unsigned int)mtu);
		rtnl_link_set_mtu(b, (unsigned int)mtu);
	}
}

static void veth_fill(struct rtnl_link *host, struct rtnl_link *peer, const char *host_name,
		      int master_index, int netns_fd, const char *peer_name, int mtu)
{
	rtnl_link_set_name(host, host_name);
	rtnl_link_set_master(host, master_index);
	rtnl_link_set_flags(host, IFF_UP);
	rtnl_link_set_name(peer, peer_name);
	rtnl_link_set_ns_fd(peer, netns_fd);
	netnl_veth_ends(host, peer, mtu);
}

int net_veth_create(struct net_ctx *ctx, const struct net_veth *v, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *host = rtnl_link_veth_alloc();
	_cleanup_(rtnl_link_putp) struct rtnl_link *peer = NULL;
	_cleanup_(nl_addr_putp) struct nl_addr *mac = v->peer_addr ? netnl_mac_of(v->peer_addr) : NULL;
	int master, rc;

	if (!host || (v->peer_addr && !mac))
		return ce_error_set(err, ENOMEM, "create veth %s", v->host_name);
	if (netnl_ifindex(ctx->sk, v->bridge, &master, err) < 0)
		return ce_error_wrap(err, "create veth %s", v->host_name);
	peer = rtnl_link_veth_get_peer(host);
	veth_fill(host, peer, v->host_name, master, v->netns_fd, v->peer_name, v->mtu);
	if (mac)
		rtnl_link_set_addr(peer, mac);
	if (ctx->group)
		rtnl_link_set_group(host, ctx->group);
	rc = rtnl_link_add(ctx->sk, host, NLM_F_CREATE | NLM_F_EXCL);
	if (rc < 0)
		return netnl_error(err, rc, "create veth %s (peer %s in netns fd %d, master %s)",
				   v->host_name, v->peer_name, v->netns_fd, v->bridge);
	/* the host end is only a bridge port: no IPv6 of its own, set before the peer gives it carrier */
	return netnl_link_mark(ctx, v->host_name, v->alias, true, err);
}

/* The host end is opened before its peer, so it gets carrier later, from the
 * peer, and the kernel activates its queue and the bridge forwards to it only
 * when linkwatch handles that event. linkwatch takes at most 100-200 links a
 * run and, past a burst, one run a second: 1,000 containers started at once
 * wait up to ~10 s. ETHTOOL_GLINK runs linkwatch for this one link at once
 * (linkwatch_sync_dev); on kernels without that it only reads the carrier. */
int netnl_link_settle(int ioctl_fd, const char *name, struct ce_error *err)
{
	struct ethtool_value v = { .cmd = ETHTOOL_GLINK };
	struct ifreq r = { .ifr_data = (void *)&v };

	if (strlen(name) >= sizeof(r.ifr_name))
		return ce_error_set(err, ENAMETOOLONG, "link %s", name);
	strcpy(r.ifr_name, name);
	if (ioctl(ioctl_fd, SIOCETHTOOL, &r) < 0)
		return ce_error_set(err, errno, "link state of %s", name);
	return 0;
}

int net_veth_settle(struct net_ctx *ctx, const char *host_name, struct ce_error *err)
{
	if (ctx->ioctl_fd < 0)
		ctx->ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctx->ioctl_fd < 0)
		return ce_error_set(err, errno, "socket");
	return netnl_link_settle(ctx->ioctl_fd, host_name, err);
}
