/* SPDX-License-Identifier: MIT */
/* subnets.h: what subnets.c (IPv4) and subnets6.c (IPv6) share for subnet = "auto" and subnet6 = "auto". */
#pragma once

#include "model/project.h"
#include "net/net.h"
#include "runtime/verbs/verbs.h"
#include "state/journal.h"

/* Under the pick's lock: each subnet6 = "auto" network of p to the first free /64 of the pool. */
int subnets6_pick(struct project *p, struct net_ctx *nl, struct ce_error *err);
/* A project that is up: its subnet6 = "auto" networks to the /64s its journal's net6 lines list. */
void subnets6_resume(struct project *p, const struct journal_entry *e, size_t n);
