/* SPDX-License-Identifier: MIT */
/* test_plan.c: unit tests for plan_container_net() and plan_project_filter(): a model in, flat descriptions out (no root). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "model/project.h"
#include "plan/netplan.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* ---- building a model by hand ---- */

static struct project *project_new(size_t n_networks, size_t n_containers, size_t n_links)
{
	struct project *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	snprintf(p->name, sizeof(p->name), "t");
	p->networks = calloc(n_networks + 1, sizeof(*p->networks));
	p->containers = calloc(n_containers + 1, sizeof(*p->containers));
	p->links = calloc(n_links + 1, sizeof(*p->links));
	assert_true(p->networks && p->containers && p->links);
	p->n_networks = n_networks, p->n_containers = n_containers, p->n_links = n_links;
	return p;
}

static void network_set(struct project *p, size_t i, uint32_t subnet, uint32_t gateway)
{
	struct network *n = &p->networks[i];

	snprintf(n->name, sizeof(n->name), "net%zu", i);
	n->subnet = subnet, n->prefix = 24, n->gateway = gateway;
}

static void network_set6(struct project *p, size_t i, const char *subnet6, const char *gateway6)
{
	struct network *n = &p->networks[i];

	assert_int_equal(inet_pton(AF_INET6, subnet6, n->subnet6), 1);
	assert_int_equal(inet_pton(AF_INET6, gateway6, n->gateway6), 1);
	n->prefix6 = 64;
}

static struct container *container_set(struct project *p, size_t i, const char *name, size_t n_ifaces,
				       size_t n_routes)
{
	struct container *c = &p->containers[i];

	snprintf(c->name, sizeof(c->name), "%s", name);
	c->ifaces = calloc(n_ifaces + 1, sizeof(*c->ifaces));
	c->routes = calloc(n_routes + 1, sizeof(*c->routes));
	assert_true(c->ifaces && c->routes);
	c->n_ifaces = n_ifaces, c->n_routes = n_routes;
	return c;
}

/* Interface k of c on network `net` with addr (the parser names it eth<k>). */
static struct iface *iface_set(struct project *p, struct container *c, size_t k, size_t net, uint32_t addr)
{
	struct iface *f = &c->ifaces[k];

	f->network = net, f->addr = addr, f->prefix = p->networks[net].prefix;
	snprintf(f->ifname, sizeof(f->ifname), "eth%zu", k);
	return f;
}

static void route4(struct route *r, uint32_t to, int prefix, uint32_t via)
{
	*r = (struct route){ .family = AF_INET, .to = to, .prefix = prefix, .via = via };
}

static void route6(struct route *r, const char *to, int prefix, const char *via)
{
	*r = (struct route){ .family = AF_INET6, .prefix = prefix };
	assert_int_equal(inet_pton(AF_INET6, to, r->to6), 1);
	assert_int_equal(inet_pton(AF_INET6, via, r->via6), 1);
}

static void link_end_set(struct link_end *le, size_t container, const char *ifname, uint32_t addr,
			 const char *addr6)
{
	le->container = container, le->addr = addr, le->prefix = 30;
	snprintf(le->ifname, sizeof(le->ifname), "%s", ifname);
	if (addr6) {
		assert_int_equal(inet_pton(AF_INET6, addr6, le->addr6), 1);
		le->prefix6 = 64;
	}
}

/* ---- checking a description ---- */

static void assert_addr6(const uint8_t a[16], const char *text)
{
	uint8_t want[16];

	assert_int_equal(inet_pton(AF_INET6, text, want), 1);
	assert_memory_equal(a, want, 16);
}

static void assert_iface(const struct net_iface_desc *f, const char *name, uint32_t addr, int prefix,
			 uint32_t gateway, bool no_ipv6)
{
	assert_string_equal(f->name, name);
	assert_int_equal(f->addr, addr);
	assert_int_equal(f->prefix, prefix);
	assert_int_equal(f->gateway, gateway);
	assert_int_equal(f->no_ipv6, no_ipv6);
}

/* ---- tests ---- */

/* 32 networks, container a on all of them, b on the last: every interface described, none dropped. */
static void test_32_interfaces(void **state)
{
	struct project *p = project_new(32, 2, 0);
	struct net_container_desc d = { 0 };
	struct ce_error err = { 0 };
	struct container *a = container_set(p, 0, "a", 32, 0), *b = container_set(p, 1, "b", 1, 0);
	char name[16];

	for (size_t k = 0; k < 32; k++) {
		network_set(p, k, IP4(10, 1, k, 0), IP4(10, 1, k, 1));
		iface_set(p, a, k, k, IP4(10, 1, k, 2));
	}
	iface_set(p, b, 0, 31, IP4(10, 1, 31, 3));
	assert_int_equal(plan_container_net(p, 0, &d, &err), 0);
	assert_int_equal(d.n_ifaces, 32);
	for (size_t k = 0; k < 32; k++) {
		snprintf(name, sizeof(name), "eth%zu", k);
		assert_iface(&d.ifaces[k], name, IP4(10, 1, k, 2), 24, IP4(10, 1, k, 1), true);
		assert_int_equal(d.ifaces[k].prefix6, 0);
		assert_int_equal(d.ifaces[k].impair.rate, 0);
	}
	/* one route: the implied default via the first gateway */
	assert_int_equal(d.n_routes, 1);
	assert_int_equal(d.routes[0].family, AF_INET);
	assert_int_equal(d.routes[0].prefix, 0);
	assert_int_equal(d.routes[0].to, 0);
	assert_int_equal(d.routes[0].via, IP4(10, 1, 0, 1));
	assert_true(d.routes[0].implied);
	assert_false(d.forward);
	plan_container_net_free(&d);
	assert_null(d.ifaces);

	assert_int_equal(plan_container_net(p, 1, &d, &err), 0);
	assert_int_equal(d.n_ifaces, 1);
	assert_iface(&d.ifaces[0], "eth0", IP4(10, 1, 31, 3), 24, IP4(10, 1, 31, 1), true);
	assert_int_equal(d.n_routes, 1);
	assert_int_equal(d.routes[0].via, IP4(10, 1, 31, 1));
	plan_container_net_free(&d);
	project_free(p);
}

/* r: lan (no gateway) and dual-stack v6net, two link ends to s, its own IPv4 default and an IPv6 route;
 * s: link ends only; t: its own IPv6 default, so the implied IPv4 one only. */
static struct project *topology(void)
{
	struct project *p = project_new(2, 3, 2);
	struct container *r = container_set(p, 0, "r", 2, 2), *t = container_set(p, 2, "t", 2, 1);

	container_set(p, 1, "s", 0, 0);
	network_set(p, 0, IP4(10, 1, 0, 0), 0);
	network_set(p, 1, IP4(10, 2, 0, 0), IP4(10, 2, 0, 1));
	network_set6(p, 1, "fd00:2::", "fd00:2::1");
	r->forward = true;
	iface_set(p, r, 0, 0, IP4(10, 1, 0, 254));
	assert_int_equal(inet_pton(AF_INET6, "fd00:2::fe", iface_set(p, r, 1, 1, IP4(10, 2, 0, 254))->addr6), 1);
	r->ifaces[1].impair = (struct impair){ .delay_us = 20000, .loss = 1.5 };
	route4(&r->routes[0], 0, 0, IP4(10, 9, 0, 2));
	route6(&r->routes[1], "fd00:9::", 64, "fd00:8::2");
	link_end_set(&p->links[0].end[0], 0, "eth2", IP4(10, 9, 0, 1), "fd00:8::1");
	link_end_set(&p->links[0].end[1], 1, "eth0", IP4(10, 9, 0, 2), "fd00:8::2");
	p->links[0].end[0].impair.rate = 1250000;
	link_end_set(&p->links[1].end[0], 1, "eth1", IP4(10, 9, 0, 5), NULL);
	link_end_set(&p->links[1].end[1], 0, "eth3", IP4(10, 9, 0, 6), NULL);
	iface_set(p, t, 0, 0, IP4(10, 1, 0, 3));
	assert_int_equal(inet_pton(AF_INET6, "fd00:2::3", iface_set(p, t, 1, 1, IP4(10, 2, 0, 3))->addr6), 1);
	route6(&t->routes[0], "::", 0, "fd00:2::fe");
	return p;
}

static void test_links_routes_ipv6(void **state)
{
	struct project *p = topology();
	struct net_container_desc d = { 0 };
	struct ce_error err = { 0 };

	assert_int_equal(plan_container_net(p, 0, &d, &err), 0);
	assert_int_equal(d.n_ifaces, 4);	/* eth0, eth1 on bridges; eth2 (link 0, end a), eth3 (link 1, end b) */
	assert_iface(&d.ifaces[0], "eth0", IP4(10, 1, 0, 254), 24, 0, true);
	assert_iface(&d.ifaces[1], "eth1", IP4(10, 2, 0, 254), 24, IP4(10, 2, 0, 1), false);
	assert_int_equal(d.ifaces[1].prefix6, 64);
	assert_addr6(d.ifaces[1].addr6, "fd00:2::fe");
	assert_int_equal(d.ifaces[1].impair.delay_us, 20000);
	assert_true(d.ifaces[1].impair.loss == 1.5);
	/* a link end keeps link-local IPv6; the far end gets a permanent neighbour entry (its MAC is derived) */
	assert_iface(&d.ifaces[2], "eth2", IP4(10, 9, 0, 1), 30, IP4(10, 9, 0, 2), false);
	assert_int_equal(d.ifaces[2].prefix6, 64);
	assert_addr6(d.ifaces[2].addr6, "fd00:8::1");
	assert_addr6(d.ifaces[2].gateway6, "fd00:8::2");
	assert_int_equal(d.ifaces[2].impair.rate, 1250000);
	assert_iface(&d.ifaces[3], "eth3", IP4(10, 9, 0, 6), 30, IP4(10, 9, 0, 5), false);
	assert_int_equal(d.ifaces[3].prefix6, 0);
	assert_addr6(d.ifaces[3].gateway6, "::");	/* no IPv6 on that link */
	/* the implied IPv6 default, no implied IPv4 one (the file has it), then the file's routes in order */
	assert_int_equal(d.n_routes, 3);
	assert_int_equal(d.routes[0].family, AF_INET6);
	assert_int_equal(d.routes[0].prefix, 0);
	assert_addr6(d.routes[0].via6, "fd00:2::1");
	assert_true(d.routes[0].implied);
	assert_int_equal(d.routes[1].family, AF_INET);
	assert_int_equal(d.routes[1].prefix, 0);
	assert_int_equal(d.routes[1].via, IP4(10, 9, 0, 2));
	assert_false(d.routes[1].implied);
	assert_int_equal(d.routes[2].family, AF_INET6);
	assert_int_equal(d.routes[2].prefix, 64);
	assert_addr6(d.routes[2].to6, "fd00:9::");
	assert_addr6(d.routes[2].via6, "fd00:8::2");
	assert_true(d.forward);
	plan_container_net_free(&d);

	assert_int_equal(plan_container_net(p, 1, &d, &err), 0);	/* s: link ends only */
	assert_int_equal(d.n_ifaces, 2);
	assert_iface(&d.ifaces[0], "eth0", IP4(10, 9, 0, 2), 30, IP4(10, 9, 0, 1), false);
	assert_iface(&d.ifaces[1], "eth1", IP4(10, 9, 0, 5), 30, IP4(10, 9, 0, 6), false);
	assert_int_equal(d.n_routes, 0);
	assert_false(d.forward);
	plan_container_net_free(&d);

	assert_int_equal(plan_container_net(p, 2, &d, &err), 0);	/* t: IPv4 default via the first gateway */
	assert_int_equal(d.n_routes, 2);
	assert_int_equal(d.routes[0].family, AF_INET);
	assert_int_equal(d.routes[0].via, IP4(10, 2, 0, 1));
	assert_true(d.routes[0].implied);
	assert_int_equal(d.routes[1].family, AF_INET6);
	assert_addr6(d.routes[1].via6, "fd00:2::fe");
	assert_false(d.routes[1].implied);
	plan_container_net_free(&d);
	project_free(p);
}

static void test_bad_index(void **state)
{
	struct project *p = project_new(0, 1, 0);
	struct net_container_desc d = { .n_ifaces = 7 };
	struct ce_error err = { 0 };

	container_set(p, 0, "a", 0, 0);
	assert_int_equal(plan_container_net(p, 1, &d, &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_null(d.ifaces);
	assert_int_equal(d.n_ifaces, 0);
	plan_container_net_free(&d);	/* a zeroed description is fine */
	assert_int_equal(plan_container_net(p, 0, &d, &err), 0);	/* no interface: lo only */
	assert_int_equal(d.n_ifaces, 0);
	assert_int_equal(d.n_routes, 0);
	plan_container_net_free(&d);
	project_free(p);
}

/* The topology's bridge ports for the filter: one per network interface (none for link ends), each
 * with its addresses and network; r a router; t allowed to spoof; v6net's gateway6 on t's interface. */
static void test_filter_ports(void **state)
{
	struct project *p = topology();
	struct net_filter f = { 0 };
	struct net_container_desc d = { 0 };
	struct ce_error err = { 0 };

	p->containers[2].sec.spoofing = true;
	p->networks[1].nat = true;
	p->containers[2].ifaces[1].accept_ra = true;
	for (size_t i = 0; i < 3; i++)
		for (size_t k = 0; k < p->containers[i].n_ifaces; k++)
			snprintf(p->containers[i].ifaces[k].host_ifname, CE_IFNAME_MAX, "v%d-%d", (int)i, (int)k % 10);
	snprintf(p->networks[0].bridge, CE_IFNAME_MAX, "br0");
	snprintf(p->networks[1].bridge, CE_IFNAME_MAX, "br1");
	assert_int_equal(plan_project_filter(p, &f, &err), 0);
	assert_int_equal(f.n_ports, 4);
	assert_int_equal(f.n_nets, 2);
	assert_string_equal(f.ports[0].port, "v0-0");
	assert_int_equal(f.ports[0].addr, IP4(10, 1, 0, 254));
	assert_int_equal(f.ports[0].subnet, IP4(10, 1, 0, 0));
	assert_int_equal(f.ports[0].prefix, 24);
	assert_int_equal(f.ports[0].prefix6, 0);
	assert_true(f.ports[0].router);
	assert_false(f.ports[0].spoofing);
	assert_string_equal(f.ports[1].port, "v0-1");
	assert_addr6(f.ports[1].addr6, "fd00:2::fe");
	assert_addr6(f.ports[1].subnet6, "fd00:2::");
	assert_int_equal(f.ports[1].prefix6, 64);
	assert_string_equal(f.ports[3].port, "v2-1");
	assert_true(f.ports[3].spoofing);
	assert_false(f.ports[3].router);
	assert_string_equal(f.nets[0].bridge, "br0");
	assert_false(f.nets[0].nat);
	assert_true(f.nets[1].nat);
	plan_project_filter_free(&f);
	assert_null(f.ports);

	assert_int_equal(plan_container_net(p, 2, &d, &err), 0);
	assert_false(d.ifaces[0].accept_ra);
	assert_true(d.ifaces[1].accept_ra);
	assert_addr6(d.ifaces[1].gateway6, "fd00:2::1");	/* pinned: v6net has a gateway (the bridge's MAC) */
	assert_addr6(d.ifaces[0].gateway6, "::");
	plan_container_net_free(&d);
	project_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_32_interfaces),
		cmocka_unit_test(test_links_routes_ipv6),
		cmocka_unit_test(test_bad_index),
		cmocka_unit_test(test_filter_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
