/* SPDX-License-Identifier: MIT */
/* preflight.c: before `up` makes anything: does every network fit this host's links, addresses and routes? */
#include "runtime/verbs/verbs.h"

#include <errno.h>

#include "net/net.h"
#include "state/journal.h"
#include "util/cleanup.h"

int runtime_preflight(const struct project *p, struct ce_error *err)
{
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	bool up = journal_exists(p->name);	/* then its bridges are its own */

	if (net_open(&nl, err) < 0)
		return -1;
	for (size_t i = 0; i < p->n_networks; i++) {
		const struct network *n = &p->networks[i];
		struct ce_error why = { 0 };

		if (!up && net_link_exists(nl, n->bridge)) {
			ce_error_set(err, 0, "%s:%d: networks.[%zu].bridge: %s already exists on this host", p->file,
				     n->line, i, n->bridge);
			return 1;
		}
		if (net_subnet_check_free(nl, n->subnet, n->prefix, n->bridge, &why) == 0)
			continue;
		if (why.code != EADDRINUSE) {
			*err = why;
			return ce_error_wrap(err, "network %s", n->name);
		}
		ce_error_set(err, 0, "%s:%d: networks.[%zu].subnet: %s", p->file, n->line, i, why.msg);
		return 1;
	}
	return 0;
}
