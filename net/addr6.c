/* SPDX-License-Identifier: MIT */
/* net/addr6.c: IPv6 addresses with IFA_F_NODAD, so `up` never waits for duplicate-address detection. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <sys/socket.h>

#include "net/nl.h"

int net_addr6_add(struct net_ctx *ctx, const char *name, const uint8_t addr6[16], int prefix,
		  struct ce_error *err)
{
	_cleanup_(rtnl_addr_putp) struct rtnl_addr *ra = rtnl_addr_alloc();
	_cleanup_(nl_addr_putp) struct nl_addr *local = nl_addr_build(AF_INET6, addr6, 16);
	char buf[INET6_ADDRSTRLEN];
	int ifindex, rc;

	if (!ra || !local)
		return ce_error_set(err, ENOMEM, "add IPv6 address to %s", name);
	if (netnl_ifindex(ctx->sk, name, &ifindex, err) < 0)
		return -1;
	nl_addr_set_prefixlen(local, prefix);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET6);
	rtnl_addr_set_prefixlen(ra, prefix);
	rtnl_addr_set_flags(ra, IFA_F_NODAD);
	rc = rtnl_addr_set_local(ra, local);
	if (rc == 0)
		rc = rtnl_addr_add(ctx->sk, ra, 0);
	if (rc < 0 && rc != -NLE_EXIST)
		return netnl_error(err, rc, "add address %s/%d to %s", inet_ntop(AF_INET6, addr6, buf, sizeof(buf)),
				   prefix, name);
	return 0;
}
