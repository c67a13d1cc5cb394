/* SPDX-License-Identifier: MIT */
/* net/filter.c: a project's nftables tables: own-MAC/own-address filtering on its bridge ports, and its forwarding policy. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/nft.h"
#include "net/nft_dl.h"
#include "util/addr.h"
#include "util/cleanup.h"

/* Why sets and not a chain per port: the rules are the same for every port
 * and only the addresses differ, so each rule is one hash lookup of
 * (port, value) whatever the number of containers, and the batch stays ~20
 * rules plus a few set elements a container. Frames that the host's bridge
 * sends (the gateway) do not pass the bridge prerouting hook; the tables of
 * other projects see this project's frames and let them go at their first
 * rule (`iifname != @ports accept`). */
static const char *const bridge_rules[] = {
	"iifname != @ports accept",				/* not a port of this project, or spoofing = true */
	"iifname . ether saddr != @mac drop",			/* its own MAC, or nothing */
	"ether type != { ip, arp, ip6 } drop",			/* no VLAN tags, no other protocols */
	"arp htype != 1 drop",					/* Ethernet/IPv4 ARP only: the offsets */
	"arp ptype != ip drop",					/* below are those of that layout */
	"arp hlen != 6 drop",
	"arp plen != 4 drop",
	"iifname . arp saddr ether != @mac drop",		/* ARP: sender hardware and protocol */
	"iifname . arp saddr ip != @a4 drop",			/* addresses are its own */
	"iifname != @routers icmp type redirect drop",
	"iifname != @routers iifname . ip saddr != @a4 drop",	/* IPv4 from its own address; a router */
	"iifname . ip saddr != @a4 iifname . ip saddr @net4 drop",	/* also others' from outside its network */
	"iifname @no6 ether type ip6 drop",			/* a network without subnet6 carries no IPv6 */
	"iifname != @routers icmpv6 type { nd-router-advert, nd-redirect } drop",
	/* a neighbour advertisement's target (bytes 8-23 of ICMPv6) is one of its own addresses */
	"icmpv6 type nd-neighbor-advert iifname . @th,64,128 != @t6 drop",
	/* from the unspecified address: MLD reports, and duplicate address detection of its own addresses */
	"ip6 saddr :: icmpv6 type { mld-listener-report, mld2-listener-report } accept",
	"ip6 saddr :: icmpv6 type nd-neighbor-solicit iifname . @th,64,128 @t6 accept",
	"ip6 saddr :: drop",
	"iifname != @routers iifname . ip6 saddr != @a6 drop",	/* IPv6 from its own or link-local address; */
	"iifname . ip6 saddr != @a6 iifname . ip6 saddr @net6 drop",	/* a router also others' from outside */
};

/* What the host routes from or to a bridge of the project: within one bridge,
 * yes; between two bridges (this project's or another's), never (another's
 * table drops what its own rules do not accept); out of a nat network, yes
 * (the egress), and back only as replies; nothing else. */
static const char *const forward_rules[] = {
	"iifname . oifname @same accept",
	"iifname @bridges oifname @bridges drop",
	"iifname @nat accept",
	"iifname @bridges drop",
	"oifname @nat ct state established,related accept",	/* only when a network has nat (conntrack) */
	"oifname @bridges drop",
};

static const char *mac_text(uint32_t addr, char buf[18])
{
	uint8_t m[6];

	net_mac_of(addr, m);
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

/* The link-local address the kernel makes from net_mac_of(addr) (EUI-64, RFC 4291 appendix A). */
static void link_local_of(uint32_t addr, uint8_t ll[16])
{
	uint8_t m[6];

	net_mac_of(addr, m);
	memset(ll, 0, 16);
	ll[0] = 0xfe, ll[1] = 0x80;
	ll[8] = m[0] ^ 0x02, ll[9] = m[1], ll[10] = m[2], ll[11] = 0xff;
	ll[12] = 0xfe, ll[13] = m[3], ll[14] = m[4], ll[15] = m[5];
}

static bool zero16(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

static const char *hex128(const uint8_t a[16], char buf[35])
{
	buf[0] = '0', buf[1] = 'x';
	for (int i = 0; i < 16; i++)
		snprintf(buf + 2 + 2 * i, 3, "%02x", a[i]);
	return buf;
}

/* A port or bridge name goes into the batch between quotes: only what the parser allows in one. */
static bool ifname_ok(const char *s)
{
	return nft_word_ok(s, NET_IFNAME_MAX);
}

/* An element of one set for port p (which: its first or second one), printed to f; false when the
 * port has none. Called with f NULL first, to ask. */
typedef bool (*element_fn)(FILE *f, const struct net_filter_port *p, int which);

/* "elements = { a, b }" with what `each` gives for every port, or nothing when it gives none. */
static void elements(FILE *f, const struct net_filter *flt, element_fn each)
{
	bool any = false;

	for (size_t i = 0; i < flt->n_ports; i++)
		for (int which = 0; which < 2; which++) {
			if (!each(NULL, &flt->ports[i], which))
				continue;
			fputs(any ? ", " : "elements = { ", f);
			each(f, &flt->ports[i], which);
			any = true;
		}
	fputs(any ? " }" : "", f);
}

/* Print "<port>" . <fmt> to f (when not NULL); true. */
__attribute__((format(printf, 3, 4)))
static bool put(FILE *f, const struct net_filter_port *p, const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return true;
	fprintf(f, "\"%s\"", p->port);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	return true;
}

static bool filtered(const struct net_filter_port *p)
{
	return !p->spoofing;
}

static bool el_ports(FILE *f, const struct net_filter_port *p, int which)
{
	return which == 0 && filtered(p) && put(f, p, "%s", "");
}

static bool el_routers(FILE *f, const struct net_filter_port *p, int which)
{
	return which == 0 && filtered(p) && p->router && put(f, p, "%s", "");
}

static bool el_no6(FILE *f, const struct net_filter_port *p, int which)
{
	return which == 0 && filtered(p) && !p->prefix6 && put(f, p, "%s", "");
}

static bool el_mac(FILE *f, const struct net_filter_port *p, int which)
{
	char m[18];

	return which == 0 && filtered(p) && put(f, p, " . %s", mac_text(p->addr, m));
}

static bool el_a4(FILE *f, const struct net_filter_port *p, int which)
{
	char a[16];

	return which == 0 && filtered(p) && put(f, p, " . %s", addr_format(p->addr, a, sizeof(a)));
}

static bool el_net4(FILE *f, const struct net_filter_port *p, int which)
{
	char a[16];

	return which == 0 && filtered(p) && p->router &&
	       put(f, p, " . %s/%d", addr_format(p->subnet, a, sizeof(a)), p->prefix);
}

/* which 0: its IPv6 address (when it has one), 1: its link-local address. */
static const uint8_t *own6(const struct net_filter_port *p, int which, uint8_t ll[16])
{
	if (!filtered(p) || !p->prefix6)
		return NULL;
	if (which == 1) {
		link_local_of(p->addr, ll);
		return ll;
	}
	return zero16(p->addr6) ? NULL : p->addr6;
}

static bool el_a6(FILE *f, const struct net_filter_port *p, int which)
{
	uint8_t ll[16];
	const uint8_t *a = own6(p, which, ll);
	char buf[INET6_ADDRSTRLEN];

	return a && put(f, p, " . %s", inet_ntop(AF_INET6, a, buf, sizeof(buf)));
}

static bool el_t6(FILE *f, const struct net_filter_port *p, int which)
{
	uint8_t ll[16];
	const uint8_t *a = own6(p, which, ll);
	char buf[35];

	return a && put(f, p, " . %s", hex128(a, buf));
}

/* A router's IPv6 neighbours: its network's subnet6 and the link-local range. */
static bool el_net6(FILE *f, const struct net_filter_port *p, int which)
{
	char buf[INET6_ADDRSTRLEN];

	if (!filtered(p) || !p->router || !p->prefix6)
		return false;
	if (which == 1)
		return put(f, p, " . %s", "fe80::/10");
	return put(f, p, " . %s/%d", inet_ntop(AF_INET6, p->subnet6, buf, sizeof(buf)), p->prefix6);
}

static void bridge_set(FILE *f, const char *name, const char *type, const struct net_filter *flt, element_fn each)
{
	fprintf(f, "\tset %s { %s; ", name, type);
	elements(f, flt, each);
	fputs(" }\n", f);
}

static void bridge_table(FILE *f, const char *project, const char *mark, const struct net_filter *flt)
{
	fprintf(f, "create table bridge cengine-%s { comment \"%s\"; }\ntable bridge cengine-%s {\n", project, mark,
		project);
	bridge_set(f, "ports", "type ifname", flt, el_ports);
	bridge_set(f, "routers", "type ifname", flt, el_routers);
	bridge_set(f, "no6", "type ifname", flt, el_no6);
	bridge_set(f, "mac", "type ifname . ether_addr", flt, el_mac);
	bridge_set(f, "a4", "type ifname . ipv4_addr", flt, el_a4);
	bridge_set(f, "net4", "type ifname . ipv4_addr; flags interval", flt, el_net4);
	bridge_set(f, "a6", "type ifname . ipv6_addr", flt, el_a6);
	bridge_set(f, "t6", "typeof iifname . @th,64,128", flt, el_t6);
	bridge_set(f, "net6", "type ifname . ipv6_addr; flags interval", flt, el_net6);
	fputs("\tchain prerouting {\n\t\ttype filter hook prerouting priority filter; policy accept;\n", f);
	for (size_t i = 0; i < sizeof(bridge_rules) / sizeof(*bridge_rules); i++)
		fprintf(f, "\t\t%s\n", bridge_rules[i]);
	fputs("\t}\n}\n", f);
}

/* "name" for each network (nat_only: those with nat), or "name" . "name" (pairs), comma-separated. */
static void bridge_names(FILE *f, const struct net_filter *flt, bool nat_only, bool pairs)
{
	bool any = false;

	for (size_t i = 0; i < flt->n_nets; i++) {
		const char *b = flt->nets[i].bridge;

		if (nat_only && !flt->nets[i].nat)
			continue;
		fprintf(f, pairs ? "%s\"%s\" . \"%s\"" : "%s\"%s\"", any ? ", " : "elements = { ", b, b);
		any = true;
	}
	fputs(any ? " }" : "", f);
}

static void inet_table(FILE *f, const char *project, const char *mark, const struct net_filter *flt, bool nat)
{
	size_t n = sizeof(forward_rules) / sizeof(*forward_rules);

	fprintf(f, "create table inet cengine-%s { comment \"%s\"; }\n", project, mark);
	fprintf(f, "table inet cengine-%s {\n\tset bridges { type ifname; ", project);
	bridge_names(f, flt, false, false);
	fputs(" }\n\tset nat { type ifname; ", f);
	bridge_names(f, flt, true, false);
	fputs(" }\n\tset same { type ifname . ifname; ", f);
	bridge_names(f, flt, false, true);
	fputs(" }\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n", f);
	for (size_t i = 0; i < n; i++)
		if (nat || strstr(forward_rules[i], " ct ") == NULL)
			fprintf(f, "\t\t%s\n", forward_rules[i]);
	fputs("\t}\n}\n", f);
}

static int names_ok(const struct net_filter *flt, struct ce_error *err)
{
	for (size_t i = 0; i < flt->n_ports; i++)
		if (!ifname_ok(flt->ports[i].port))
			return ce_error_set(err, EINVAL, "filter: port name \"%s\"", flt->ports[i].port);
	for (size_t i = 0; i < flt->n_nets; i++)
		if (!ifname_ok(flt->nets[i].bridge))
			return ce_error_set(err, EINVAL, "filter: bridge name \"%s\"", flt->nets[i].bridge);
	return 0;
}

/* The whole batch's text into *buf. */
static int batch_text(const char *project, const struct net_marks *m, const struct net_filter *flt,
		      const struct net_nat *nats, size_t n_nats, char **buf, struct ce_error *err)
{
	size_t len = 0;
	FILE *f;

	if (names_ok(flt, err) < 0)
		return -1;
	f = open_memstream(buf, &len);
	if (!f)
		return ce_error_set(err, ENOMEM, "filter tables");
	bridge_table(f, project, m->filter, flt);
	inet_table(f, project, m->filter, flt, n_nats > 0);
	if (n_nats)
		nft_nat_print(f, project, m->nat, nats, n_nats);
	if (flt->host && m->hostfw)
		nft_hostfw_print(f, flt, m->hostfw);
	if (fclose(f) != 0)
		return ce_error_set(err, ENOMEM, "filter tables");
	return 0;
}

int net_filter_add(const char *project, const struct net_marks *m, const struct net_filter *flt,
		   const struct net_nat *nats, size_t n_nats, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;

	if (batch_text(project, m, flt, nats, n_nats, &buf, err) < 0)
		return -1;
	return nft_batch_run(buf, "filter tables", err);
}

int net_filter_start(const char *project, const struct net_marks *m, const struct net_filter *flt,
		     const struct net_nat *nats, size_t n_nats, struct net_pending *p, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;

	if (batch_text(project, m, flt, nats, n_nats, &buf, err) < 0)
		return -1;
	return nft_batch_start(buf, "filter tables", p, err);
}

int net_filter_remove(const char *project, const char *mark, struct ce_error *err)
{
	static const char *const families[] = { "bridge", "inet" };
	char table[128];

	snprintf(table, sizeof(table), "cengine-%s", project);
	return nft_tables_remove_marked(families, 2, table, mark, err);
}

int net_filter_available(struct ce_error *err)
{
	return nft_dl_load(err);
}
