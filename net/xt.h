/* SPDX-License-Identifier: MIT */
/* net/xt.h: private: allow rules in iptables-legacy's filter table (xtables.c), for hostfw.c. */
#pragma once

#include <stdbool.h>

#include "net/net.h"

/* Is x_tables' table filter of the family loaded in this netns (/proc/net/ip{,6}_tables_names)? Asking
 * libiptc for one that is not would load it: a legacy table on a host that had none. */
bool net_xt_loaded(bool v6);

/* Do libip4tc (v6: libip6tc) load? 0, or -1 with what to install. */
int net_xt_available(bool v6, struct ce_error *err);
/* The chain of table filter where allow rules go: INPUT (!forward), else Docker's DOCKER-USER when
 * there, else FORWARD. */
int net_xt_chain(bool v6, bool forward, char chain[32], struct ce_error *err);
/* The allow rules of net/hostfw.c for flt's nets with hostfw, each with the comment match `mark`, at
 * the top of chain c (family legacy4 or legacy6), in one commit under the xtables lock. */
int net_xt_allow(const struct net_hostfw_chain *c, const struct net_filter *flt, const char *mark,
		 struct ce_error *err);
/* Delete the rules of `chain` whose comment match is `mark`, and nothing else, in one commit; a
 * missing chain is fine. */
int net_xt_remove(bool v6, const char *chain, const char *mark, struct ce_error *err);
/* Each comment match of the rules of `chain` (a loaded table filter) to each(comment, ctx). */
int net_xt_comments(bool v6, const char *chain, void (*each)(const char *comment, void *ctx), void *ctx,
		    struct ce_error *err);
