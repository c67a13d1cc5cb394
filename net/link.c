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

/* The MAC derived from addr (0: the kernel's). */
static int set_mac(struct rtnl_link *end, uint32_t addr)
{
	_cleanup_(nl_addr_putp) struct nl_addr *mac = addr ? netnl_mac_of(addr) : NULL;

	if (addr && !mac)
		return -1;
	if (mac)
		rtnl_link_set_addr(end, mac);
	return 0;
}

/* One RTM_NEWLINK: IFLA_NET_NS_FD on the link puts end a in netns_a, the one
 * inside VETH_INFO_PEER puts end b in netns_b. Creating in the host and moving
 * each end costs a namespace change per end (~17 ms against ~0.3 ms). One tx
 * and rx queue each, as in veth.c, avoids a synchronize_net() per end. */
int net_p2p_create(struct net_ctx *ctx, const struct net_p2p *l, struct ce_error *err)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *a = rtnl_link_veth_alloc();
	struct rtnl_link *b;
	int rc;

	if (!a)
		return ce_error_set(err, ENOMEM, "create link %s-%s", l->name_a, l->name_b);
	b = rtnl_link_veth_get_peer(a);
	rtnl_link_set_name(a, l->name_a);
	rtnl_link_set_ns_fd(a, l->netns_a);
	rtnl_link_set_name(b, l->name_b);
	rtnl_link_set_ns_fd(b, l->netns_b);
	netnl_veth_ends(a, b, l->mtu);
	if (set_mac(a, l->addr_a) < 0 || set_mac(b, l->addr_b) < 0) {
		rtnl_link_put(b);
		return ce_error_set(err, ENOMEM, "create link %s-%s", l->name_a, l->name_b);
	}
	rc = rtnl_link_add(ctx->sk, a, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(b);
	if (rc < 0)
		return netnl_error(err, rc, "create link %s (netns fd %d) - %s (netns fd %d)", l->name_a, l->netns_a,
				   l->name_b, l->netns_b);
	return 0;
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
