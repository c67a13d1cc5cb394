/* SPDX-License-Identifier: MIT */
/* net/qdisc.c: egress impairments: netem (delay, jitter, loss) and tbf (rate) through libnl-route-3. */
#include "net/net.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include "net/nl.h"

#define NETEM_LIMIT 1000		/* packets, tc's default (0 would drop everything) */
#define TBF_LATENCY_US 50000		/* queue at most 50 ms worth of data */
#define TBF_BURST_MIN 4096		/* bytes */

CE_DEFINE_CLEANUP(struct rtnl_qdisc, rtnl_qdisc_put, rtnl_qdisc_putp)

static int qdisc_add(struct net_ctx *ctx, struct rtnl_qdisc *q, const char *what, const char *name,
		     struct ce_error *err)
{
	int rc = rtnl_qdisc_add(ctx->sk, q, NLM_F_CREATE | NLM_F_REPLACE);

	if (rc == -NLE_OBJ_NOTFOUND || rc == -NLE_OPNOTSUPP)	/* the kernel's "unknown qdisc kind" */
		return ce_error_set(err, EOPNOTSUPP, "add %s qdisc on %s: this kernel has no sch_%s (CONFIG_NET_SCH_%s)",
				    what, name, what, !strcmp(what, "netem") ? "NETEM" : "TBF");
	if (rc < 0)
		return netnl_error(err, rc, "add %s qdisc on %s", what, name);
	return 0;
}

/* netem as the root (handle 1:); a tbf child then goes under 1:1. */
static int netem_add(struct net_ctx *ctx, int ifindex, const char *name, const struct net_impair *im,
		     struct ce_error *err)
{
	_cleanup_(rtnl_qdisc_putp) struct rtnl_qdisc *q = rtnl_qdisc_alloc();
	/* libnl takes the u32 fraction of 2^32 as an int: the cast keeps the bits */
	uint32_t loss = (uint32_t)(im->loss / 100.0 * (double)UINT32_MAX);

	if (!q)
		return ce_error_set(err, ENOMEM, "netem on %s", name);
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(q), TC_HANDLE(1, 0));
	if (rtnl_tc_set_kind(TC_CAST(q), "netem") < 0)
		return ce_error_set(err, EOPNOTSUPP, "netem on %s: libnl has no netem", name);
	rtnl_netem_set_limit(q, NETEM_LIMIT);
	rtnl_netem_set_delay(q, (int)im->delay_us);
	rtnl_netem_set_jitter(q, (int)im->jitter_us);
	rtnl_netem_set_loss(q, (int)loss);
	return qdisc_add(ctx, q, "netem", name, err);
}

static int tbf_add(struct net_ctx *ctx, int ifindex, const char *name, uint64_t rate, bool under_netem,
		   struct ce_error *err)
{
	_cleanup_(rtnl_qdisc_putp) struct rtnl_qdisc *q = rtnl_qdisc_alloc();
	uint64_t burst = rate / 100;	/* 10 ms worth */

	if (!q)
		return ce_error_set(err, ENOMEM, "tbf on %s", name);
	if (burst < TBF_BURST_MIN)
		burst = TBF_BURST_MIN;
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_parent(TC_CAST(q), under_netem ? TC_HANDLE(1, 1) : TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(q), TC_HANDLE(under_netem ? 10 : 1, 0));
	if (rtnl_tc_set_kind(TC_CAST(q), "tbf") < 0)
		return ce_error_set(err, EOPNOTSUPP, "tbf on %s: libnl has no tbf", name);
	rtnl_qdisc_tbf_set_rate(q, (int)(rate > INT32_MAX ? INT32_MAX : rate), (int)burst, 0);
	if (rtnl_qdisc_tbf_set_limit_by_latency(q, TBF_LATENCY_US) < 0)
		return ce_error_set(err, EINVAL, "tbf on %s: limit", name);
	return qdisc_add(ctx, q, "tbf", name, err);
}

int net_qdisc_set(struct net_ctx *ctx, const char *name, const struct net_impair *im, struct ce_error *err)
{
	bool netem = im->delay_us || im->jitter_us || im->loss > 0;
	int ifindex;

	if (!netem && !im->rate)
		return 0;
	if (netnl_ifindex(ctx->sk, name, &ifindex, err) < 0)
		return -1;
	if (netem && netem_add(ctx, ifindex, name, im, err) < 0)
		return -1;
	if (im->rate && tbf_add(ctx, ifindex, name, im->rate, netem, err) < 0)
		return -1;
	return 0;
}
