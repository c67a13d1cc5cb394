/* SPDX-License-Identifier: MIT */
/* net/addr.c: add IPv4 addresses to links (rtnl_addr, no cache). */
#include "net/net.h"

#include <errno.h>
#include <sys/socket.h>

#include "net/nl.h"
#include "util/addr.h"

/* Local address plus, for prefixes below /31, the directed broadcast. */
static int addr_fill(struct rtnl_addr *ra, int ifindex, uint32_t addr, int prefix)
{
	_cleanup_(nl_addr_putp) struct nl_addr *local = netnl_addr4(addr, prefix);
	_cleanup_(nl_addr_putp) struct nl_addr *brd = NULL;
	int rc;

	if (!local)
		return -NLE_NOMEM;
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	rc = rtnl_addr_set_local(ra, local);
	if (rc < 0)
		return rc;
	rtnl_addr_set_prefixlen(ra, prefix);
	if (prefix >= 31)
		return 0;
	brd = netnl_addr4(addr | ~addr_mask(prefix), 32);
	if (!brd)
		return -NLE_NOMEM;
	return rtnl_addr_set_broadcast(ra, brd);
}

int netnl_addr_add(struct nl_sock *sk, int ifindex, const char *name, uint32_t addr, int prefix,
		   struct ce_error *err)
{
	_cleanup_(rtnl_addr_putp) struct rtnl_addr *ra = rtnl_addr_alloc();
	char buf[16];
	int rc;

	rc = ra ? addr_fill(ra, ifindex, addr, prefix) : -NLE_NOMEM;
	if (rc == 0)
		rc = rtnl_addr_add(sk, ra, 0);
	if (rc < 0 && rc != -NLE_EXIST)
		return netnl_error(err, rc, "add address %s/%d to %s",
				   addr_format(addr, buf, sizeof(buf)), prefix, name);
	return 0;
}

int net_addr_add(struct net_ctx *ctx, const char *name, uint32_t addr, int prefix, struct ce_error *err)
{
	int ifindex;

	if (netnl_ifindex(ctx->sk, name, &ifindex, err) < 0)
		return -1;
	return netnl_addr_add(ctx->sk, ifindex, name, addr, prefix, err);
}
