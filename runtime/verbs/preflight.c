/* SPDX-License-Identifier: MIT */
/* preflight.c: before `up` makes anything: is every planned link name free, does every network (subnet and subnet6) fit this host's addresses and routes? */
#include "runtime/verbs/verbs.h"

#include <errno.h>
#include <stdlib.h>

#include "model/naming.h"
#include "net/net.h"
#include "util/cleanup.h"

void runtime_link_owner(const char *alias, char *buf, size_t len)
{
	char project[CE_PROJECT_MAX + 1], role[NAMING_ROLE_MAX];

	if (naming_mark_owner(alias, project, role))
		snprintf(buf, len, "project %s's %s", project, role);
	else	/* an alias cengine did not write is not shown: it is anyone's text */
		snprintf(buf, len, "not made by cengine");
}

/* "FILE:LINE: setting: NAME already exists on this host (whose)" for planned link k (bridges first). */
static void say_taken(const struct project *p, size_t k, const char *owner, struct ce_error *err)
{
	if (k < p->n_networks) {
		ce_error_set(err, 0, "%s:%d: networks.[%zu].bridge: %s already exists on this host (%s)", p->file,
			     p->networks[k].line, k, p->networks[k].bridge, owner);
		return;
	}
	k -= p->n_networks;
	for (size_t i = 0; i < p->n_containers; k -= p->containers[i++].n_ifaces)
		if (k < p->containers[i].n_ifaces) {
			const struct iface *f = &p->containers[i].ifaces[k];

			ce_error_set(err, 0, "%s:%d: container %s %s: host veth %s already exists on this host (%s)",
				     p->file, f->line, p->containers[i].name, f->ifname, f->host_ifname, owner);
			return;
		}
}

/* Is every planned link name free? 0 yes; 1 no (err names the first taken one); -1. */
static int links_free(const struct project *p, struct net_ctx *nl, struct ce_error *err)
{
	size_t n = p->n_networks, k = 0, which = 0;
	_cleanup_free_ const char **names = NULL;
	char alias[NET_ALIAS_MAX], owner[128];
	int rc;

	for (size_t i = 0; i < p->n_containers; i++)
		n += p->containers[i].n_ifaces;
	names = calloc(n ? n : 1, sizeof(*names));
	if (!names)
		return ce_error_set(err, ENOMEM, "link names");
	for (size_t i = 0; i < p->n_networks; i++)
		names[k++] = p->networks[i].bridge;
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces; j++)
			names[k++] = p->containers[i].ifaces[j].host_ifname;
	rc = net_links_taken(nl, names, n, &which, alias, sizeof(alias), err);
	if (rc <= 0)
		return rc;
	runtime_link_owner(alias, owner, sizeof(owner));
	say_taken(p, which, owner, err);
	err->code = EEXIST;
	return 1;
}

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

int runtime_fits_host(const struct project *p, struct net_ctx *nl, struct ce_error *err)
{
	int rc;

	if ((rc = links_free(p, nl, err)) != 0)
		return rc;
	for (size_t i = 0; i < p->n_networks; i++)
		if ((rc = subnets_taken(p, nl, i, err)) != 0)
			return rc;
	return 0;
}
