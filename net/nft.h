/* SPDX-License-Identifier: MIT */
/* net/nft.h: private nftables helpers shared by nat.c and filter.c (one batch text, one libnftables run). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "net/net.h"

/* Run one batch of nft commands through libnftables (dlopen()ed on first use):
 * atomic, all or nothing; the first line of nft's error in err, after `what`. */
int nft_batch_run(const char *cmds, const char *what, struct ce_error *err);

/* The same, its output (a listing) in *out, to free. */
int nft_batch_list(const char *cmds, const char *what, char **out, struct ce_error *err);
/* The same with libnftables output flags (NFT_CTX_OUTPUT_HANDLE: each rule's "# handle N"). */
int nft_batch_list_flags(const char *cmds, unsigned flags, const char *what, char **out, struct ce_error *err);

/* A name that goes into a batch (quoted or not): 1 to max-1 bytes of [A-Za-z0-9_.-]. */
bool nft_word_ok(const char *s, size_t max);

/* The allow rules of flt->host's chains for flt's nets with hostfw (see net_hostfw_inspect), each
 * inserted at the top of its chain with the comment `mark`, appended to f. */
void nft_hostfw_print(FILE *f, const struct net_filter *flt, const char *mark);

/* Start the batch in a forked child that keeps the caller's descriptors (the
 * project's lock) until it is done; net_pending_wait() gives its answer. */
int nft_batch_start(const char *cmds, const char *what, struct net_pending *p, struct ce_error *err);

/* The same in a forked child, for batches that delete: the kernel commits them at
 * once, but frees what they deleted only after an RCU grace period, and the socket's
 * close waits for that (5-15 ms here). The child answers as soon as the batch is
 * committed (or failed) and waits out the close on its own. */
int nft_batch_run_detached(const char *cmds, const char *what, struct ce_error *err);

/* Table `table` of each family in families[] (at most 8): deleted, all in one transaction, when it
 * carries the comment `mark`; one without it stays (err says which, code EPERM). Plain nfnetlink
 * requests, no libnftables; the socket's last close (it waits for the kernel to free what the
 * transaction deleted, an RCU grace period) is left to a child. 0 (deleted, or none there),
 * 1 (one stays) or -1. */
int nft_tables_remove_marked(const char *const *families, size_t n, const char *table, const char *mark,
			     struct ce_error *err);

/* The commands that make the nat table of net_nat_add(), marked with the comment `mark`
 * ("create": a table of that name already there is not taken over), appended to f. */
void nft_nat_print(FILE *f, const char *project, const char *mark, const struct net_nat *nets, size_t n);
