/* SPDX-License-Identifier: MIT */
/* firewall.h: the host's own firewall at up and in doctor: what drops a project's traffic and what cengine does about it. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "model/project.h"
#include "net/net.h"
#include "util/error.h"

/* Before anything is journalled, in two steps. firewall_inspect: look at the host's firewall
 * (net_hostfw_inspect), printing nothing (up runs it in a thread while its link and route
 * checks wait for the RTNL); no network: nothing looked at (h->kind "open"); -1 when the host
 * could not be asked. firewall_judge, on what it found: where iptables-legacy drops, libip4tc
 * or libip6tc does not load and a network has firewall = "manage": 1, with one line
 * "FILE:LINE: network N: firewall: ..." naming the setting and the commands that fix it in err
 * (the file does not fit this host: exit 2, nothing made). A network with firewall = "off" on
 * a host that drops: a warning line on stderr. The chains that get allow rules: one line on
 * stdout unless quiet. */
int firewall_inspect(const struct project *p, struct net_hostfw *h, struct ce_error *err);
int firewall_judge(const struct project *p, bool quiet, const struct net_hostfw *h, struct ce_error *err);

/* The first network of p (may be NULL) with firewall = "manage" (managed) or "off"; NULL: none. */
const struct network *firewall_network(const struct project *p, bool managed);

/* "iptables-legacy -I FORWARD -i B -o B -j ACCEPT && ..." for each network of p with firewall =
 * "manage" (nat: its egress and what comes back; the gateway where INPUT drops): the commands that
 * let the legacy chains of h (h->legacy) pass its traffic; into buf. */
void firewall_legacy_fix(const struct net_hostfw *h, const struct project *p, char *buf, size_t len);
