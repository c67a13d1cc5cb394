/* SPDX-License-Identifier: MIT */
/* netinit.c: what no CNI plugin sets (a link's MAC, netem, a link's rate, the file's routes) as the shell script of the pod's NET_ADMIN init container. */
#include "export/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "plan/netplan.h"
#include "util/addr.h"
#include "util/cleanup.h"

/* tc for one interface, as net/qdisc.c makes it: netem (handle 1:) as the root, tbf under it
 * (10:) or as the root; a network interface's rate is the bandwidth plugin's (netattach.c). */
static void impair_lines(const struct net_iface_desc *d, bool rate, FILE *f)
{
	const struct net_impair *im = &d->impair;
	bool netem = im->delay_us || im->jitter_us || im->loss > 0;
	char ifname[NET_IFNAME_MAX];

	k8s_ifname(d->name, ifname);
	if (netem) {
		fprintf(f, "tc qdisc replace dev %s root handle 1: netem limit 1000", ifname);
		if (im->delay_us || im->jitter_us)
			fprintf(f, " delay %uus %uus", im->delay_us, im->jitter_us);
		if (im->loss > 0)
			fprintf(f, " loss %g%%", im->loss);
		fputc('\n', f);
	}
	if (rate && im->rate) {
		uint64_t burst = im->rate / 100 > 4096 ? im->rate / 100 : 4096;

		fprintf(f, "tc qdisc replace dev %s %s tbf rate %llubit burst %llu latency 50ms\n", ifname,
			netem ? "parent 1:1 handle 10:" : "root handle 1:", (unsigned long long)im->rate * 8,
			(unsigned long long)burst);
	}
}

static void route_line(const struct net_route_desc *r, FILE *f)
{
	char to[INET6_ADDRSTRLEN], via[INET6_ADDRSTRLEN];

	if (r->family == AF_INET) {
		addr_format(r->to, to, sizeof(to));
		addr_format(r->via, via, sizeof(via));
	} else if (!inet_ntop(AF_INET6, r->to6, to, sizeof(to)) || !inet_ntop(AF_INET6, r->via6, via, sizeof(via))) {
		return;
	}
	if (r->prefix == 0)
		fprintf(f, "ip %sroute replace default via %s\n", r->family == AF_INET6 ? "-6 " : "", via);
	else
		fprintf(f, "ip %sroute replace %s/%d via %s\n", r->family == AF_INET6 ? "-6 " : "", to, r->prefix, via);
}

/* a_mac/b_mac: meshnet sets no MAC, the init container does. */
static void link_macs(const struct project *p, size_t c, FILE *f)
{
	char ifname[NET_IFNAME_MAX];

	for (size_t l = 0; l < p->n_links; l++)
		for (int e = 0; e < 2; e++) {
			const struct link_end *end = &p->links[l].end[e];

			if (end->container != c || !end->has_mac)
				continue;
			k8s_ifname(end->ifname, ifname);
			fprintf(f, "ip link set dev %s address %02x:%02x:%02x:%02x:%02x:%02x\n", ifname, end->mac[0],
				end->mac[1], end->mac[2], end->mac[3], end->mac[4], end->mac[5]);
		}
}

int k8s_netinit(struct k8s *k, size_t c, char **script)
{
	struct net_container_desc d = { 0 };
	size_t len = 0;
	FILE *f;

	*script = NULL;
	if (plan_container_net(k->p, c, &d, k->err) < 0)
		return -1;
	f = open_memstream(script, &len);
	if (!f) {
		plan_container_net_free(&d);
		return ce_error_set(k->err, errno, "export: memory");
	}
	link_macs(k->p, c, f);
	for (size_t i = 0; i < d.n_ifaces; i++)
		impair_lines(&d.ifaces[i], i >= k->p->containers[c].n_ifaces, f);
	for (size_t i = 0; i < d.n_routes; i++)
		if (!d.routes[i].implied)
			route_line(&d.routes[i], f);
	plan_container_net_free(&d);
	if (fclose(f) != 0)
		return ce_error_set(k->err, errno, "export: memory");
	if (!len) {
		free(*script);
		*script = NULL;
	}
	return 0;
}
