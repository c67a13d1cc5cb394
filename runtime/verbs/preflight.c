/* SPDX-License-Identifier: MIT */
/* preflight.c: before `up` makes anything: does every network (subnet and subnet6) fit this host's links, addresses and routes? */
#include "runtime/verbs/verbs.h"

#include <errno.h>

#include "net/net.h"
#include "state/journal.h"
#include "util/cleanup.h"

/* Is one of n's subnets taken on the host? 0 no; 1 yes (err: "FILE:LINE: networks.[i].subnet: why"); -1 on error. */
static int subnets_taken(const struct project *p, struct net_ctx *nl, size_t i, struct ce_error *err)
{
	const struct network *n = &p->networks[i];
	struct ce_error why = { 0 };
	const char *key = "subnet";

	if (net_subnet_check_free(nl, n->subnet, n->prefix, n->bridge, &why) == 0) {
		key = "subnet6";
		if (!n->prefix6 || net_subnet6_check_free(nl, n->subnet6, n->prefix6, n->bridge, &why) == 0)
			return 0;
	}
	if (why.code != EADDRINUSE) {
		*err = why;
		return ce_error_wrap(err, "network %s", n->name);
	}
	ce_error_set(err, 0, "%s:%d: networks.[%zu].%s: %s", p->file, n->line, i, key, why.msg);
	return 1;
}

int runtime_preflight(const struct project *p, struct ce_error *err)
{
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	bool up = journal_exists(p->name);	/* then its bridges are its own */

	if (net_open(&nl, err) < 0)
		return -1;
	for (size_t i = 0; i < p->n_networks; i++) {
		const struct network *n = &p->networks[i];
		int rc;

		if (!up && net_link_exists(nl, n->bridge)) {
			ce_error_set(err, 0, "%s:%d: networks.[%zu].bridge: %s already exists on this host", p->file,
				     n->line, i, n->bridge);
			return 1;
		}
		rc = subnets_taken(p, nl, i, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}
