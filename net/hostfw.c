/* SPDX-License-Identifier: MIT */
/* net/hostfw.c: the host's own firewall: which of its chains drop a project's traffic, the allow rules that go there, their removal. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/nft.h"
#include "net/nft_dl.h"
#include "net/xt.h"
#include "util/addr.h"
#include "util/cleanup.h"

/* Why rules in the host's own chains and not in a table of cengine's: nftables
 * runs every base chain of a hook, and an accept ends only the chain it is in;
 * a drop in any other base chain of the hook (iptables-nft's FORWARD policy,
 * firewalld's final reject) still drops the packet. So the accept must be in
 * the chain that drops, before the drop: at its top. Docker asks others to use
 * DOCKER-USER, the chain its FORWARD jumps to first (and that dockerd keeps
 * when it rebuilds its own chains), as containerlab and LXD do. */

static bool is_legacy(const struct net_hostfw_chain *c)
{
	return !strncmp(c->family, "legacy", 6);
}

/* One chain of the host's `list chains`. */
struct chain_rec {
	char family[8], table[64], chain[64], hook[16], policy[16];
};

struct chains {
	struct chain_rec *v;
	size_t n, cap;
};

static int chains_add(struct chains *c, const struct chain_rec *r, struct ce_error *err)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		struct chain_rec *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return ce_error_set(err, ENOMEM, "host firewall: chains");
		c->v = v, c->cap = cap;
	}
	c->v[c->n++] = *r;
	return 0;
}

/* The chains of `list chains`: "table <family> <name> {", "\tchain <name> {", "\t\ttype .. hook .. policy ..;". */
static int parse_chains(const char *listing, struct chains *c, struct ce_error *err)
{
	struct chain_rec r = { 0 };
	char table[64] = "", family[8] = "";
	bool open = false;

	for (const char *l = listing; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char word[64];

		if (sscanf(l, "table %7s %63s {", family, table) == 2)
			continue;
		if (sscanf(l, "\tchain %63s {", word) == 1 && strcmp(word, "{")) {
			if (open && chains_add(c, &r, err) < 0)
				return -1;
			r = (struct chain_rec){ 0 };
			snprintf(r.family, sizeof(r.family), "%s", family);
			snprintf(r.table, sizeof(r.table), "%s", table);
			snprintf(r.chain, sizeof(r.chain), "%s", word);
			open = true;
			continue;
		}
		if (open && strstr(l, "\t\ttype ") == l) {
			const char *h = strstr(l, " hook "), *p = strstr(l, " policy ");

			if (h)
				sscanf(h, " hook %15s", r.hook);
			if (p)
				sscanf(p, " policy %15[a-z]", r.policy);
		}
	}
	return open ? chains_add(c, &r, err) : 0;
}

static const struct chain_rec *chain_find(const struct chains *c, const char *family, const char *table,
					  const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].family, family) && !strcmp(c->v[i].table, table) && !strcmp(c->v[i].chain, name))
			return &c->v[i];
	return NULL;
}

/* Does a base chain with policy accept end in a rule that drops everything (firewalld's
 * "reject with icmpx admin-prohibited")? A rule line that starts with its verdict. */
static bool ends_in_drop(const struct chain_rec *r)
{
	_cleanup_free_ char *listing = NULL;
	struct ce_error why = { 0 };
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "list chain %s %s %s\n", r->family, r->table, r->chain);
	if (nft_batch_list(cmd, "host firewall", &listing, &why) < 0)
		return false;
	for (const char *l = listing; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, "\t\tdrop", 6) || !strncmp(l, "\t\treject", 8))
			return true;
	return false;
}

/* Is r a base chain of ours to look at: hook forward or input of an ip, ip6 or inet table not cengine's? */
static bool candidate(const struct chain_rec *r)
{
	return (!strcmp(r->hook, "forward") || !strcmp(r->hook, "input")) &&
	       (!strcmp(r->family, "ip") || !strcmp(r->family, "ip6") || !strcmp(r->family, "inet")) &&
	       strncmp(r->table, "cengine-", 8) != 0 && nft_word_ok(r->table, 64) && nft_word_ok(r->chain, 64);
}

/* r drops (policy drop, or ends in a drop): where the allow rules go, and why. */
static int chain_note(struct net_hostfw *h, const struct chains *c, const struct chain_rec *r, struct ce_error *err)
{
	struct net_hostfw_chain *o = &h->chains[h->n_chains];
	bool forward = !strcmp(r->hook, "forward");
	bool drop = !strcmp(r->policy, "drop");

	if (!drop && !ends_in_drop(r))
		return 0;
	if (h->n_chains == NET_HOSTFW_CHAINS)
		return ce_error_set(err, E2BIG, "host firewall: more than %d chains drop forwarded or input traffic",
				    NET_HOSTFW_CHAINS);
	*o = (struct net_hostfw_chain){ .forward = forward };
	snprintf(o->family, sizeof(o->family), "%s", r->family);
	snprintf(o->table, sizeof(o->table), "%s", r->table);
	snprintf(o->chain, sizeof(o->chain), "%s", r->chain);
	if (forward && chain_find(c, r->family, r->table, "DOCKER-USER"))
		snprintf(o->chain, sizeof(o->chain), "%s", "DOCKER-USER");
	snprintf(o->why, sizeof(o->why), "%s %s %s %s %s", r->family, r->table, r->chain,
		 drop ? "policy" : "ends in", drop ? "drop" : "drop/reject");
	h->n_chains++;
	return 0;
}

static bool any_chain(const struct chains *c, const char *prefix, const char *table)
{
	for (size_t i = 0; i < c->n; i++)
		if ((prefix && !strncmp(c->v[i].chain, prefix, strlen(prefix))) || (table && !strcmp(c->v[i].table, table)))
			return true;
	return false;
}

static const char *kind_of(const struct net_hostfw *h, const struct chains *c)
{
	if (any_chain(c, "DOCKER-USER", NULL))
		return "docker";
	if (any_chain(c, "ufw-", NULL) || any_chain(c, "ufw6-", NULL))
		return "ufw";
	if (any_chain(c, NULL, "firewalld"))
		return "firewalld";
	if (h->legacy[0] || (h->n_chains && is_legacy(&h->chains[0])))
		return "iptables-legacy";
	return h->n_chains ? "nftables" : "open";
}

/* A chain of iptables-legacy's filter table that drops: where the rules go (libip4tc and libip6tc
 * load), or else its name in h->legacy (up refuses then). */
static int legacy_chain(struct net_hostfw *h, bool v6, bool forward, const char *text, struct ce_error *err)
{
	struct net_hostfw_chain *o = &h->chains[h->n_chains];
	struct ce_error why = { 0 };
	size_t len = strlen(h->legacy);

	if (net_xt_available(v6, &why) < 0) {
		snprintf(h->legacy + len, sizeof(h->legacy) - len, "%s%s policy DROP", len ? ", " : "", text);
		return 0;
	}
	if (h->n_chains == NET_HOSTFW_CHAINS)
		return ce_error_set(err, E2BIG, "host firewall: more than %d chains drop", NET_HOSTFW_CHAINS);
	*o = (struct net_hostfw_chain){ .forward = forward };
	snprintf(o->family, sizeof(o->family), "%s", v6 ? "legacy6" : "legacy4");
	snprintf(o->table, sizeof(o->table), "%s", "filter");
	snprintf(o->why, sizeof(o->why), "%s policy DROP", text);
	if (net_xt_chain(v6, forward, o->chain, err) < 0)
		return -1;
	h->n_chains++;
	return 0;
}

/* iptables-legacy's filter policies (x_tables, read through getsockopt: nothing loaded or changed). */
static int legacy_note(struct net_hostfw *h, struct ce_error *err)
{
	static const struct { int family; bool forward; const char *text; } hooks[] = {
		{ AF_INET, true, "iptables-legacy filter FORWARD" }, { AF_INET, false, "iptables-legacy filter INPUT" },
		{ AF_INET6, true, "ip6tables-legacy filter FORWARD" }, { AF_INET6, false, "ip6tables-legacy filter INPUT" },
	};

	for (size_t i = 0; i < sizeof(hooks) / sizeof(*hooks); i++) {
		int rc = net_legacy_policy_drops(hooks[i].family, hooks[i].forward, err);

		if (rc < 0 || (rc && legacy_chain(h, hooks[i].family == AF_INET6, hooks[i].forward, hooks[i].text,
						  err) < 0))
			return -1;
	}
	return 0;
}

void net_hostfw_chain_name(const struct net_hostfw_chain *c, char *buf, size_t len)
{
	if (is_legacy(c))
		snprintf(buf, len, "%s filter %s", c->family[6] == '6' ? "ip6tables-legacy" : "iptables-legacy", c->chain);
	else
		snprintf(buf, len, "%s %s %s", c->family, c->table, c->chain);
}

int net_hostfw_legacy_add(const struct net_filter *flt, const char *mark, struct ce_error *err)
{
	for (size_t i = 0; flt->host && i < flt->host->n_chains; i++)
		if (is_legacy(&flt->host->chains[i]) && net_xt_allow(&flt->host->chains[i], flt, mark, err) < 0)
			return -1;
	return 0;
}

static bool br_netfilter_on(void)
{
	char c = '0';
	int fd = open("/proc/sys/net/bridge/bridge-nf-call-iptables", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '0';
		close(fd);
	}
	return c == '1';
}

int net_hostfw_inspect(struct net_hostfw *h, struct ce_error *err)
{
	_cleanup_free_ char *listing = NULL;
	struct chains c = { 0 };
	int rc = 0;

	*h = (struct net_hostfw){ .br_netfilter = br_netfilter_on() };
	if (legacy_note(h, err) < 0)
		return -1;
	if (nft_batch_list("list chains\n", "host firewall: list chains", &listing, err) < 0 ||
	    parse_chains(listing, &c, err) < 0) {
		free(c.v);
		return -1;
	}
	for (size_t i = 0; i < c.n && rc == 0; i++)
		if (candidate(&c.v[i]))
			rc = chain_note(h, &c, &c.v[i], err);
	h->kind = kind_of(h, &c);
	free(c.v);
	return rc;
}

/* ---- the allow rules, in the project's batch ---- */

static void allow(FILE *f, const struct net_hostfw_chain *c, const char *match, const char *mark)
{
	fprintf(f, "insert rule %s %s %s %s accept comment \"%s\"\n", c->family, c->table, c->chain, match, mark);
}

/* The rules of one network in one chain: within its bridge (bridged frames with br_netfilter,
 * routed ones between its containers), its nat egress and what comes back, and to its gateway.
 * Only matches that iptables-nft reads back (interface names, addresses, a comment): a native
 * expression it cannot translate (ct state) makes it refuse the whole table ("incompatible"),
 * and dockerd and ufw with it. What comes back to a nat network is narrowed to replies by the
 * project's own forward chain (inet cengine-<project>), which every packet passes as well. */
static void allow_net(FILE *f, const struct net_hostfw_chain *c, const struct net_filter_net *n, const char *mark)
{
	char m[160], a[INET6_ADDRSTRLEN];

	if (c->forward && !n->nat) {
		snprintf(m, sizeof(m), "iifname \"%s\" oifname \"%s\"", n->bridge, n->bridge);
		allow(f, c, m, mark);
		return;
	}
	if (c->forward) {
		snprintf(m, sizeof(m), "iifname \"%s\"", n->bridge);
		allow(f, c, m, mark);
		snprintf(m, sizeof(m), "oifname \"%s\"", n->bridge);
		allow(f, c, m, mark);
		return;
	}
	if (n->gateway && strcmp(c->family, "ip6")) {
		snprintf(m, sizeof(m), "iifname \"%s\" ip daddr %s", n->bridge, addr_format(n->gateway, a, sizeof(a)));
		allow(f, c, m, mark);
	}
	if (memcmp(n->gateway6, (uint8_t[16]){ 0 }, 16) && strcmp(c->family, "ip")) {
		snprintf(m, sizeof(m), "iifname \"%s\" ip6 daddr %s", n->bridge,
			 inet_ntop(AF_INET6, n->gateway6, a, sizeof(a)));
		allow(f, c, m, mark);
	}
}

void nft_hostfw_print(FILE *f, const struct net_filter *flt, const char *mark)
{
	for (size_t i = 0; flt->host && i < flt->host->n_chains; i++)
		for (size_t k = 0; k < flt->n_nets && !is_legacy(&flt->host->chains[i]); k++)
			if (flt->nets[k].hostfw)
				allow_net(f, &flt->host->chains[i], &flt->nets[k], mark);
}

/* ---- removal ---- */

/* "delete rule ... handle N" for each rule of the listing whose comment is mark (its last words). */
static void deletes(FILE *f, const char *listing, const char *head, const char *mark)
{
	char tail[160];
	size_t tl = (size_t)snprintf(tail, sizeof(tail), " comment \"%s\" # handle ", mark);

	for (const char *l = listing; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *end = l + strcspn(l, "\n"), *t;
		unsigned long long handle;
		char *stop;

		t = strstr(l, tail);
		if (!t || t > end || t[tl] < '0' || t[tl] > '9')
			continue;
		handle = strtoull(t + tl, &stop, 10);
		if (stop == end)
			fprintf(f, "delete rule %s handle %llu\n", head, handle);
	}
}

int net_hostfw_remove(const char *family, const char *table, const char *chain, const char *mark,
		      struct ce_error *err)
{
	_cleanup_free_ char *listing = NULL, *cmds = NULL;
	struct ce_error why = { 0 };
	char head[160], cmd[200];
	size_t len = 0;
	FILE *f;

	if (!nft_word_ok(family, 8) || !nft_word_ok(table, 64) || !nft_word_ok(chain, 32))
		return ce_error_set(err, EINVAL, "host firewall: chain %s %s %s: not a name", family, table, chain);
	if (!strcmp(family, "legacy4") || !strcmp(family, "legacy6"))
		return net_xt_remove(family[6] == '6', chain, mark, err);
	if (nft_dl_load(err) < 0)
		return ce_error_wrap(err, "remove host firewall rules");
	snprintf(head, sizeof(head), "%s %s %s", family, table, chain);
	snprintf(cmd, sizeof(cmd), "list chain %s\n", head);
	if (nft_batch_list_flags(cmd, NFT_CTX_OUTPUT_HANDLE, "list host chain", &listing, &why) < 0)
		return 0;	/* no such chain (the host's firewall was reloaded): nothing of ours there */
	f = open_memstream(&cmds, &len);
	if (!f)
		return ce_error_set(err, ENOMEM, "remove host firewall rules");
	deletes(f, listing, head, mark);
	if (fclose(f) != 0)
		return ce_error_set(err, ENOMEM, "remove host firewall rules");
	return len ? nft_batch_run_detached(cmds, "remove host firewall rules", err) : 0;	/* as the tables: the close waits alone */
}
