/* SPDX-License-Identifier: MIT */
/* net/net.c: netlink context, libnl error mapping and generic link helpers. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>

#include "net/nl.h"

int netnl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_EXIST: return EEXIST;
	case NLE_NODEV:
	case NLE_OBJ_NOTFOUND: return ENODEV;
	case NLE_NOMEM: return ENOMEM;
	case NLE_PERM: return EPERM;
	case NLE_NOACCESS: return EACCES;
	case NLE_BUSY: return EBUSY;
	case NLE_INVAL: return EINVAL;
	case NLE_RANGE: return ERANGE;
	case NLE_AGAIN: return EAGAIN;
	case NLE_INTR: return EINTR;
	case NLE_OPNOTSUPP: return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
	case NLE_NOADDR: return EADDRNOTAVAIL;
	case NLE_MSGSIZE: return EMSGSIZE;
	case NLE_BAD_SOCK: return EBADF;
	default: return EIO;
	}
}

int netnl_error(struct ce_error *err, int nlerr, const char *fmt, ...)
{
	char what[CE_ERROR_MAX];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ce_error_set(err, 0, "%s: %s", what, nl_geterror(nlerr));
	err->code = netnl_errno(nlerr);
	return -1;
}

int netnl_socket(struct nl_sock **out, struct ce_error *err)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = nl_socket_alloc();
	int rc;

	if (!sk)
		return ce_error_set(err, ENOMEM, "allocate netlink socket");
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (rc < 0)
		return netnl_error(err, rc, "connect NETLINK_ROUTE socket");
	*out = steal_pointer(&sk);
	return 0;
}

/* SIOCGIFINDEX on the netlink socket itself: answered in the socket's netns, under RCU, a hash lookup.
 * An RTM_GETLINK has the kernel fill, and libnl parse, the whole link, and first runs the link's pending
 * linkwatch work (a link just made has some: its dev_deactivate() waits for an expedited RCU grace
 * period, ~1 ms, more under load). */
int netnl_ifindex(struct nl_sock *sk, const char *name, int *ifindex, struct ce_error *err)
{
	struct ifreq ifr = { 0 };

	if (strlen(name) >= sizeof(ifr.ifr_name))
		return ce_error_set(err, EINVAL, "look up link %s: name too long", name);
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(nl_socket_get_fd(sk), SIOCGIFINDEX, &ifr) < 0)
		return ce_error_set(err, errno, "look up link %s", name);
	*ifindex = ifr.ifr_ifindex;
	return 0;
}

struct nl_addr *netnl_addr4(uint32_t addr, int prefix)
{
	uint32_t be = htonl(addr);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, sizeof(be));

	if (a)
		nl_addr_set_prefixlen(a, prefix);
	return a;
}

int netnl_addr4_get(struct nl_addr *a, uint32_t *out)
{
	uint32_t be;

	if (!a || nl_addr_get_family(a) != AF_INET || nl_addr_get_len(a) != sizeof(be))
		return -1;
	memcpy(&be, nl_addr_get_binary_addr(a), sizeof(be));
	*out = ntohl(be);
	return 0;
}

int netnl_link_up_name(struct nl_sock *sk, const char *name, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = rtnl_link_alloc();
	int rc;

	if (!link)
		return ce_error_set(err, ENOMEM, "set %s up", name);
	rtnl_link_set_name(link, name);
	rtnl_link_set_flags(link, IFF_UP);
	rc = rtnl_link_change(sk, link, link, 0);
	if (rc < 0)
		return netnl_error(err, rc, "set %s up", name);
	return 0;
}

int netnl_link_no_ipv6(struct nl_sock *sk, const char *name, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = rtnl_link_alloc();
	int rc;

	if (!link)
		return ce_error_set(err, ENOMEM, "%s: no IPv6 link-local address", name);
	rtnl_link_set_name(link, name);
	rc = rtnl_link_inet6_set_addr_gen_mode(link, IN6_ADDR_GEN_MODE_NONE);
	if (rc == 0)
		rc = rtnl_link_change(sk, link, link, 0);
	if (rc == -NLE_AF_NOSUPPORT)	/* a kernel without IPv6 (ipv6.disable=1): nothing to turn off */
		return 0;
	if (rc < 0)
		return netnl_error(err, rc, "%s: no IPv6 link-local address", name);
	return 0;
}

int net_link_no_ipv6(struct net_ctx *ctx, const char *name, struct ce_error *err)
{
	return netnl_link_no_ipv6(ctx->sk, name, err);
}

int net_open(struct net_ctx **out, struct ce_error *err)
{
	_cleanup_free_ struct net_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return ce_error_set(err, ENOMEM, "allocate netlink context");
	ctx->ioctl_fd = -1;
	if (netnl_socket(&ctx->sk, err) < 0)
		return -1;
	*out = steal_pointer(&ctx);
	return 0;
}

void net_close(struct net_ctx *ctx)
{
	if (!ctx)
		return;
	nl_socket_free(ctx->sk);
	if (ctx->ioctl_fd >= 0)
		close(ctx->ioctl_fd);
	free(ctx);
}

bool net_link_exists(struct net_ctx *ctx, const char *name)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;

	return rtnl_link_get_kernel(ctx->sk, 0, name, &link) == 0;
}

int net_link_delete(struct net_ctx *ctx, const char *name, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = rtnl_link_alloc();
	int rc;

	if (!link)
		return ce_error_set(err, ENOMEM, "delete link %s", name);
	rtnl_link_set_name(link, name);
	rc = rtnl_link_delete(ctx->sk, link);
	if (rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND)
		return 0;
	if (rc < 0)
		return netnl_error(err, rc, "delete link %s", name);
	return 0;
}
