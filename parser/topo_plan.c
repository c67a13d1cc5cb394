/* SPDX-License-Identifier: MIT */
/* topo_plan.c: the topology lines of `cengine check`: IPv6, impairments, routes, forwarding, NAT, links. */
#include <stdio.h>
#include <sys/socket.h>

#include "parser/topo.h"
#include "util/addr.h"

static void print_impair(const struct impair *im, FILE *out)
{
	if (im->delay_us)
		fprintf(out, " delay %.3gms", im->delay_us / 1e3);
	if (im->jitter_us)
		fprintf(out, " jitter %.3gms", im->jitter_us / 1e3);
	if (im->loss > 0)
		fprintf(out, " loss %g%%", im->loss);
	if (im->rate)
		fprintf(out, " rate %.6gkbit", (double)im->rate * 8 / 1e3);
}

void pv_topo_print_network(const struct network *n, FILE *out)
{
	char a[48], b[48];

	if (n->prefix6)
		fprintf(out, "  subnet6 %s/%d, gateway6 %s\n", pv_ip6_format(n->subnet6, a), n->prefix6,
			pv_ip6_is_zero(n->gateway6) ? "-" : pv_ip6_format(n->gateway6, b));
	if (n->nat)
		fprintf(out, "  nat: masquerade to other host links (nftables table of the project)\n");
}

void pv_topo_print_container(const struct container *c, FILE *out)
{
	char a[48], b[48];

	for (size_t i = 0; i < c->n_ifaces; i++) {
		const struct iface *f = &c->ifaces[i];

		if (!pv_ip6_is_zero(f->addr6))
			fprintf(out, "  %s ipv6 %s\n", f->ifname, pv_ip6_format(f->addr6, a));
		if (pv_impair_is_set(&f->impair)) {
			fprintf(out, "  %s egress", f->ifname);
			print_impair(&f->impair, out);
			fputc('\n', out);
		}
	}
	for (size_t i = 0; i < c->n_routes; i++) {
		const struct route *r = &c->routes[i];

		if (r->family == AF_INET)
			fprintf(out, "  route %s/%d via %s\n", addr_format(r->to, a, sizeof(a)), r->prefix,
				addr_format(r->via, b, sizeof(b)));
		else
			fprintf(out, "  route %s/%d via %s\n", pv_ip6_format(r->to6, a), r->prefix, pv_ip6_format(r->via6, b));
	}
	if (c->forward)
		fprintf(out, "  forward on (own netns)\n");
}

void pv_topo_print_links(const struct project *p, FILE *out)
{
	char a[48];

	for (size_t i = 0; i < p->n_links; i++) {
		fprintf(out, "link %s:%s - %s:%s\n", p->containers[p->links[i].end[0].container].name,
			p->links[i].end[0].ifname, p->containers[p->links[i].end[1].container].name,
			p->links[i].end[1].ifname);
		for (int e = 0; e < 2; e++) {
			const struct link_end *le = &p->links[i].end[e];

			fprintf(out, "  %s:%s", p->containers[le->container].name, le->ifname);
			if (le->addr)
				fprintf(out, " %s/%d", addr_format(le->addr, a, sizeof(a)), le->prefix);
			if (le->prefix6)
				fprintf(out, " %s/%d", pv_ip6_format(le->addr6, a), le->prefix6);
			print_impair(&le->impair, out);
			fputc('\n', out);
		}
	}
}
