/* SPDX-License-Identifier: MIT */
/* topology.c: a container's point-to-point links as one meshnet Topology (networkop.co.uk/v1beta1). */
#include "export/internal.h"

#include <arpa/inet.h>

#include "util/addr.h"

bool k8s_has_links(const struct project *p, size_t c)
{
	for (size_t l = 0; l < p->n_links; l++)
		if (p->links[l].end[0].container == c || p->links[l].end[1].container == c)
			return true;
	return false;
}

/* An end's address as "A.B.C.D/P" (its IPv6 one when it has no IPv4); false: none. */
static bool end_ip(const struct link_end *e, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (e->addr)
		snprintf(buf, len, "%s/%d", addr_format(e->addr, ip, sizeof(ip)), e->prefix);
	else if (e->prefix6 && inet_ntop(AF_INET6, e->addr6, ip, sizeof(ip)))
		snprintf(buf, len, "%s/%d", ip, e->prefix6);
	else
		return false;
	return true;
}

/* One side of link l, seen from end `self`: uid l + 1 (the same on both pods' Topologies). */
static void link_entry(struct k8s *k, size_t l, int self, struct yaml *y)
{
	const struct link_end *me = &k->p->links[l].end[self], *peer = &k->p->links[l].end[!self];
	char ifname[NET_IFNAME_MAX], ip[INET6_ADDRSTRLEN + 8];

	yaml_item(y);
	yaml_int(y, 4, "uid", (long long)l + 1);
	yaml_str(y, 4, "peer_pod", k->pod[peer->container]);
	k8s_ifname(me->ifname, ifname);
	yaml_str(y, 4, "local_intf", ifname);
	k8s_ifname(peer->ifname, ifname);
	yaml_str(y, 4, "peer_intf", ifname);
	if (end_ip(me, ip, sizeof(ip)))
		yaml_str(y, 4, "local_ip", ip);
	if (end_ip(peer, ip, sizeof(ip)))
		yaml_str(y, 4, "peer_ip", ip);
}

int k8s_topology(struct k8s *k, size_t c, FILE *f)
{
	struct yaml y = { f, false };

	yaml_head(&y, k, "networkop.co.uk/v1beta1", "Topology", k->pod[c]);
	yaml_key(&y, 0, "spec");
	yaml_key(&y, 2, "links");
	for (size_t l = 0; l < k->p->n_links; l++)
		for (int e = 0; e < 2; e++)
			if (k->p->links[l].end[e].container == c)
				link_entry(k, l, e, &y);
	return 0;
}
