/* SPDX-License-Identifier: MIT */
/* firewall.c: the host's own firewall at up: refuse where it drops and cengine cannot add rules, warn with firewall = "off", say where rules go. */
#include "runtime/verbs/firewall.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>


/* The loop of commands for the legacy tools that drop (h->legacy) over `bridges`, into buf. */
static void legacy_loop(const struct net_hostfw *h, const char *bridges, char *buf, size_t len)
{
	bool v4 = !strncmp(h->legacy, "iptables-legacy", 15) || strstr(h->legacy, ", iptables-legacy");
	bool v6 = strstr(h->legacy, "ip6tables-legacy") != NULL;

	snprintf(buf, len, "for b in %s; do for t in%s%s; do $t -I FORWARD -i $b -j ACCEPT; "
		 "$t -I FORWARD -o $b -j ACCEPT;%s done; done", bridges, v4 ? " iptables-legacy" : "",
		 v6 ? " ip6tables-legacy" : "", strstr(h->legacy, "filter INPUT") ? " $t -I INPUT -i $b -j ACCEPT;" : "");
}

void firewall_legacy_fix(const struct net_hostfw *h, const struct project *p, char *buf, size_t len)
{
	char bridges[256];
	size_t at = 0;

	bridges[0] = '\0';
	for (size_t i = 0; i < p->n_networks && at < sizeof(bridges); i++)
		if (!p->networks[i].firewall_off)
			at += (size_t)snprintf(bridges + at, sizeof(bridges) - at, "%s%s", at ? " " : "",
					       p->networks[i].bridge);
	legacy_loop(h, at < sizeof(bridges) ? bridges : "<each bridge of `cengine check FILE`>", buf, len);
}

const struct network *firewall_network(const struct project *p, bool managed)
{
	for (size_t i = 0; p && i < p->n_networks; i++)
		if (p->networks[i].firewall_off != managed)
			return &p->networks[i];
	return NULL;
}

/* What drops, in a few words: the first chain's reason, or the legacy chains. */
static const char *what_drops(const struct net_hostfw *h)
{
	return h->legacy[0] ? h->legacy : h->n_chains ? h->chains[0].why : "";
}

static void say_chains(const struct project *p, const struct net_hostfw *h)
{
	printf("host firewall (%s) drops what bridges carry: allow rules for project %s's bridges go in", h->kind,
	       p->name);
	for (size_t i = 0; i < h->n_chains; i++) {
		char name[160];

		net_hostfw_chain_name(&h->chains[i], name, sizeof(name));
		printf("%s %s", i ? "," : "", name);
	}
	printf(" (removed by down)\n");
}

int firewall_inspect(const struct project *p, struct net_hostfw *h, struct ce_error *err)
{
	*h = (struct net_hostfw){ .kind = "open" };
	if (p->n_networks && net_hostfw_inspect(h, err) < 0)
		return ce_error_wrap(err, "project %s", p->name);
	return 0;
}

int firewall_judge(const struct project *p, bool quiet, const struct net_hostfw *h, struct ce_error *err)
{
	const struct network *managed = firewall_network(p, true), *off = firewall_network(p, false);
	char fix[1024];

	if (!p->n_networks)
		return 0;
	if (off && (h->legacy[0] || h->n_chains))
		fprintf(stderr, "cengine: warning: network %s has firewall = \"off\" and the host's firewall drops its "
			"traffic (%s): its containers may not reach each other, the gateway or nat\n", off->name,
			what_drops(h));
	if (managed && h->legacy[0]) {
		firewall_legacy_fix(h, p, fix, sizeof(fix));
		ce_error_set(err, 0, "%s:%d: network %s: firewall: the host's %.*s%s drops the project's traffic and "
			     "libip4tc/libip6tc (package iptables) did not load: install them, or run `%s` and set "
			     "firewall = \"off\"", p->file ? p->file : p->name, managed->line, managed->name,
			     (int)strcspn(h->legacy, ","), h->legacy, strchr(h->legacy, ',') ? " (and more)" : "", fix);
		err->code = EPERM;
		return 1;
	}
	if (managed && h->n_chains && !quiet)
		say_chains(p, h);
	return 0;
}
