/* SPDX-License-Identifier: MIT */
/* net/brport.c: a container's host veth end as a bridge port: no IPv6 of its own, MAC learning off, no router advertisements. */
#include "net/net.h"

#include <errno.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/msg.h>

#include "net/nl.h"

CE_DEFINE_CLEANUP(struct nl_msg, nlmsg_free, nlmsg_freep)

/* IFLA_LINKINFO { IFLA_INFO_SLAVE_KIND "bridge", IFLA_INFO_SLAVE_DATA { IFLA_BRPORT_LEARNING 0 } }:
 * what `ip link set NAME type bridge_slave learning off` sends, applied by the bridge's slave_changelink. */
static int put_no_learning(struct nl_msg *m)
{
	struct nlattr *info = nla_nest_start(m, IFLA_LINKINFO), *data;

	if (!info || nla_put_string(m, IFLA_INFO_SLAVE_KIND, "bridge") < 0)
		return -NLE_NOMEM;
	data = nla_nest_start(m, IFLA_INFO_SLAVE_DATA);
	if (!data || nla_put_u8(m, IFLA_BRPORT_LEARNING, 0) < 0)
		return -NLE_NOMEM;
	nla_nest_end(m, data);
	nla_nest_end(m, info);
	return 0;
}

/* IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE none } }, as netnl_link_no_ipv6. */
static int put_no_ipv6(struct nl_msg *m)
{
	struct nlattr *spec = nla_nest_start(m, IFLA_AF_SPEC), *in6;

	if (!spec)
		return -NLE_NOMEM;
	in6 = nla_nest_start(m, AF_INET6);
	if (!in6 || nla_put_u8(m, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE) < 0)
		return -NLE_NOMEM;
	nla_nest_end(m, in6);
	nla_nest_end(m, spec);
	return 0;
}

/* One RTM_NEWLINK on the existing link `name`: the kernel runs the bridge's
 * slave_changelink for the link info, then do_setlink for the address family part. */
static int port_request(struct nl_sock *sk, const char *name, bool learning, bool ipv6, struct ce_error *err)
{
	_cleanup_(nlmsg_freep) struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	int rc = m ? 0 : -NLE_NOMEM;

	if (rc == 0)
		rc = nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	if (rc == 0)
		rc = nla_put_string(m, IFLA_IFNAME, name);
	if (rc == 0 && !learning)
		rc = put_no_learning(m);
	if (rc == 0 && ipv6)
		rc = put_no_ipv6(m);
	if (rc == 0) {
		rc = nl_send_sync(sk, m);	/* frees m */
		m = NULL;
	}
	if (rc < 0)
		return netnl_error(err, rc, "bridge port %s: learning %s, no IPv6", name, learning ? "on" : "off");
	return 0;
}

int net_port_prepare(struct net_ctx *ctx, const char *name, bool learning, struct ce_error *err)
{
	struct ce_error why = { 0 };

	if (port_request(ctx->sk, name, learning, true, &why) < 0) {
		if (why.code != EAFNOSUPPORT) {	/* a kernel without IPv6 (ipv6.disable=1): nothing to turn off */
			*err = why;
			return -1;
		}
		if (!learning && port_request(ctx->sk, name, learning, false, err) < 0)
			return -1;
	}
	return net_ipv6_no_ra(name, err);
}
