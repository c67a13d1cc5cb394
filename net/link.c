/* SPDX-License-Identifier: MIT */
/* net/link.c: point-to-point veth between two container netns, both ends born in place. */
#include "net/net.h"

#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/route/link/veth.h>

#include "net/nl.h"

/* One RTM_NEWLINK: IFLA_NET_NS_FD on the link puts end a in netns_a, the one
 * inside VETH_INFO_PEER puts end b in netns_b. Creating in the host and moving
 * each end costs a namespace change per end (~17 ms against ~0.3 ms). One tx
 * and rx queue each, as in veth.c, avoids a synchronize_net() per end. */
/* The end's MAC, when it has one: a link attribute set at creation. */
static int set_mac(struct rtnl_link *l, const uint8_t *mac)
{
	struct nl_addr *a;

	if (!mac)
		return 0;
	if (!(a = nl_addr_build(AF_LLC, mac, 6)))
		return -1;
	rtnl_link_set_addr(l, a);
	nl_addr_put(a);
	return 0;
}

int net_p2p_create_ends(struct net_ctx *ctx, const struct net_p2p_end *ea, const struct net_p2p_end *eb, int mtu,
			struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *a = rtnl_link_veth_alloc();
	struct rtnl_link *b;
	int rc;

	if (!a)
		return ce_error_set(err, ENOMEM, "create link %s-%s", ea->name, eb->name);
	b = rtnl_link_veth_get_peer(a);
	rtnl_link_set_name(a, ea->name);
	rtnl_link_set_ns_fd(a, ea->netns);
	rtnl_link_set_name(b, eb->name);
	rtnl_link_set_ns_fd(b, eb->netns);
	netnl_veth_ends(a, b, mtu);
	if (set_mac(a, ea->mac) < 0 || set_mac(b, eb->mac) < 0) {
		rtnl_link_put(b);
		return ce_error_set(err, ENOMEM, "create link %s-%s", ea->name, eb->name);
	}
	rc = rtnl_link_add(ctx->sk, a, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(b);
	if (rc < 0)
		return netnl_error(err, rc, "create link %s (netns fd %d) - %s (netns fd %d)", ea->name, ea->netns,
				   eb->name, eb->netns);
	return 0;
}

int net_p2p_create(struct net_ctx *ctx, int netns_a, const char *name_a, int netns_b,
		   const char *name_b, int mtu, struct ce_error *err)
{
	const struct net_p2p_end a = { netns_a, name_a, NULL }, b = { netns_b, name_b, NULL };

	return net_p2p_create_ends(ctx, &a, &b, mtu, err);
}

struct settle_job {
	const struct net_link_ends *c;
	size_t n;
	struct ce_error *err;	/* the caller's: read after the join */
	int rc;
};

/* In its own thread: setns changes only this thread's netns, and the thread ends with it. */
static void *settle_thread(void *arg)
{
	struct settle_job *job = arg;

	for (size_t i = 0; i < job->n && !job->rc; i++) {
		const struct net_link_ends *c = &job->c[i];
		_cleanup_close_ int sk = -1;

		if (!c->n)
			continue;
		if (setns(c->netns_fd, CLONE_NEWNET) < 0 ||
		    (sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
			job->rc = ce_error_set(job->err, errno, "link ends: enter netns fd %d", c->netns_fd);
			break;
		}
		for (size_t k = 0; k < c->n && !job->rc; k++)
			job->rc = netnl_link_settle(sk, c->names[k], job->err);
	}
	return NULL;
}

int net_links_settle(const struct net_link_ends *c, size_t n, struct ce_error *err)
{
	struct settle_job job = { .c = c, .n = n, .err = err };
	pthread_t t;
	int rc = pthread_create(&t, NULL, settle_thread, &job);

	if (rc)
		return ce_error_set(err, rc, "link ends: thread");
	pthread_join(t, NULL);
	return job.rc;
}
