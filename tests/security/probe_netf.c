/* SPDX-License-Identifier: MIT */
/* probe_netf.c: static helper run inside containers by escape_netf.sh: forges Ethernet, ARP, IPv4, IPv6, NA and RA frames (AF_PACKET), or counts them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

/* Every forged frame carries "NETF:<kind>;" (in a UDP payload, in a neighbour
 * discovery option of an experimental type, which receivers ignore, or after
 * an ARP packet in the frame's padding), so the listener in the victim counts
 * exactly the frames this probe sent. Not as a trailer past an IPv6 packet:
 * the bridge's multicast snooping trims those. */
#define TAG "NETF:"
#define IFACE "eth0"

static int sock = -1, ifindex;
static uint8_t own_mac[6];

/* Each run of the probe sends from the lowest CPU it may use: a frame a veth sends is queued on the
 * sending CPU's backlog and handled (bridge, victim's veth) there in order, so the listener's "end"
 * frame, sent by a later run, cannot overtake frames an earlier run sent from another CPU. */
static void pin_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set)) {
			CPU_ZERO(&set);
			CPU_SET(c, &set);
			sched_setaffinity(0, sizeof(set), &set);
			return;
		}
}

static int open_socket(void)
{
	struct ifreq r = { 0 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };

	sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (sock < 0)
		return -1;
	snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", IFACE);
	if (ioctl(sock, SIOCGIFHWADDR, &r) < 0)
		return -1;
	memcpy(own_mac, r.ifr_hwaddr.sa_data, 6);
	ifindex = (int)if_nametoindex(IFACE);
	sll.sll_ifindex = ifindex;
	return ifindex > 0 ? bind(sock, (struct sockaddr *)&sll, sizeof(sll)) : -1;
}

static int parse_mac(const char *s, uint8_t m[6])
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) == 6 ? 0 : -1;
}

/* A frame being built: Ethernet header, then the packet, then the tag. */
struct frame {
	uint8_t b[1514];
	size_t len;
};

static void eth(struct frame *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, src, 6);
	f->b[12] = (uint8_t)(type >> 8), f->b[13] = (uint8_t)type;
	f->len = 14;
}

static void append(struct frame *f, const void *data, size_t len)
{
	memcpy(f->b + f->len, data, len);
	f->len += len;
}

static void tag(struct frame *f, const char *kind)
{
	char t[32];

	snprintf(t, sizeof(t), TAG "%s;", kind);
	append(f, t, strlen(t));
}

static int send_frame(const struct frame *f, int count)
{
	for (int i = 0; i < count; i++)
		if (send(sock, f->b, f->len < 60 ? 60 : f->len, 0) < 0)
			return -1;
	return 0;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t add16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

/* IPv4 + UDP to port 9 carrying the tag, from src (any address) and own MAC unless mac_src. */
static void udp4(struct frame *f, uint32_t src, uint32_t dst, const char *kind)
{
	uint8_t ip[28] = { 0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17 };
	char t[32];
	size_t n = (size_t)snprintf(t, sizeof(t), TAG "%s;", kind);

	put16(ip + 2, (uint16_t)(28 + n));
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	put16(ip + 10, fold(add16(0, ip, 20)));
	put16(ip + 20, 40000), put16(ip + 22, 9), put16(ip + 24, (uint16_t)(8 + n));	/* UDP checksum 0: none */
	append(f, ip, sizeof(ip));
	append(f, t, n);
}

/* IPv6 header for an ICMPv6 or UDP payload of len bytes (hop limit 255, as neighbour discovery needs). */
static void ip6_head(uint8_t h[40], const uint8_t src[16], const uint8_t dst[16], uint8_t next, size_t len)
{
	memset(h, 0, 40);
	h[0] = 0x60;
	put16(h + 4, (uint16_t)len);
	h[6] = next, h[7] = 255;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

/* The checksum of an upper-layer packet over the IPv6 pseudo-header (RFC 8200 8.1), into p[at]. */
static void csum6(const uint8_t h[40], uint8_t *p, size_t len, size_t at)
{
	uint8_t pseudo[8] = { 0 };
	uint32_t sum;

	put16(pseudo + 2, (uint16_t)len);
	pseudo[7] = h[6];
	sum = add16(add16(add16(0, h + 8, 32), pseudo, 8), p, len);
	put16(p + at, fold(sum));
}

static void ip6_packet(struct frame *f, const uint8_t src[16], const uint8_t dst[16], uint8_t next, uint8_t *p,
		       size_t len, size_t csum_at)
{
	uint8_t h[40];

	ip6_head(h, src, dst, next, len);
	csum6(h, p, len, csum_at);
	append(f, h, 40);
	append(f, p, len);
}

/* A 16-byte neighbour discovery option of type 253 (RFC 4727: experiments) holding the tag. */
static void tag_option(uint8_t opt[16], const char *kind)
{
	memset(opt, 0, 16);
	opt[0] = 253, opt[1] = 2;
	snprintf((char *)opt + 2, 14, TAG "%s;", kind);
}

static void link_local(uint8_t ll[16])
{
	memset(ll, 0, 16);
	ll[0] = 0xfe, ll[1] = 0x80;
	ll[8] = own_mac[0] ^ 2, ll[9] = own_mac[1], ll[10] = own_mac[2], ll[11] = 0xff, ll[12] = 0xfe;
	ll[13] = own_mac[3], ll[14] = own_mac[4], ll[15] = own_mac[5];
}

/* A neighbour discovery message (ICMPv6, its checksum at byte 2) from our link-local address:
 * its last 16 bytes get the tag option; sent count times. */
static int send_nd(uint8_t *msg, size_t len, const uint8_t dst[16], const uint8_t dst_mac[6], const char *kind, int count)
{
	uint8_t src[16];
	struct frame f;

	tag_option(msg + len - 16, kind);
	link_local(src);
	eth(&f, dst_mac, own_mac, ETH_P_IPV6);
	ip6_packet(&f, src, dst, IPPROTO_ICMPV6, msg, len, 2);
	return send_frame(&f, count);
}

/* mac VICTIM_MAC: broadcast frames whose source MAC is the victim's (IPv4 UDP from our own address). */
static int do_mac(char **a)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct frame f;
	uint8_t victim[6];
	struct in_addr own;

	if (parse_mac(a[0], victim) < 0 || inet_pton(AF_INET, a[1], &own) != 1)
		return -2;
	eth(&f, bcast, victim, ETH_P_IP);
	udp4(&f, own.s_addr, 0xffffffff, "mac");
	return send_frame(&f, 5);
}

/* ip4 SRC DST DST_MAC: UDP from a forged IPv4 source, own MAC. */
static int do_ip4(char **a)
{
	struct frame f;
	struct in_addr src, dst;
	uint8_t mac[6];

	if (inet_pton(AF_INET, a[0], &src) != 1 || inet_pton(AF_INET, a[1], &dst) != 1 || parse_mac(a[2], mac) < 0)
		return -2;
	eth(&f, mac, own_mac, ETH_P_IP);
	udp4(&f, src.s_addr, dst.s_addr, "ip4");
	return send_frame(&f, 5);
}

/* arp SENDER_IP TARGET_IP TARGET_MAC: an ARP reply "SENDER_IP is at <own MAC>" to the target. */
static int do_arp(char **a)
{
	uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 2 }, mac[6];
	struct in_addr sender, target;
	struct frame f;

	if (inet_pton(AF_INET, a[0], &sender) != 1 || inet_pton(AF_INET, a[1], &target) != 1 || parse_mac(a[2], mac) < 0)
		return -2;
	memcpy(arp + 8, own_mac, 6);
	memcpy(arp + 14, &sender, 4);
	memcpy(arp + 18, mac, 6);
	memcpy(arp + 24, &target, 4);
	eth(&f, mac, own_mac, ETH_P_ARP);
	append(&f, arp, sizeof(arp));
	tag(&f, "arp");
	return send_frame(&f, 5);
}

/* ip6 SRC6 DST6 DST_MAC: UDP from a forged IPv6 source, own MAC. */
static int do_ip6(char **a)
{
	uint8_t src[16], dst[16], mac[6], udp[32] = { 0 };
	struct frame f;
	int n;

	if (inet_pton(AF_INET6, a[0], src) != 1 || inet_pton(AF_INET6, a[1], dst) != 1 || parse_mac(a[2], mac) < 0)
		return -2;
	n = snprintf((char *)udp + 8, sizeof(udp) - 8, TAG "ip6;");
	put16(udp, 40000), put16(udp + 2, 9), put16(udp + 4, (uint16_t)(8 + n));
	eth(&f, mac, own_mac, ETH_P_IPV6);
	ip6_packet(&f, src, dst, IPPROTO_UDP, udp, (size_t)(8 + n), 6);
	return send_frame(&f, 5);
}

/* na TARGET6 DST6 DST_MAC: an unsolicited neighbour advertisement (override) from our own
 * link-local address: "TARGET6 is at <own MAC>". */
static int do_na(char **a)
{
	uint8_t na[48] = { 136, 0, 0, 0, 0x20 }, dst[16], mac[6];

	if (inet_pton(AF_INET6, a[0], na + 8) != 1 || inet_pton(AF_INET6, a[1], dst) != 1 || parse_mac(a[2], mac) < 0)
		return -2;
	na[24] = 2, na[25] = 1;	/* target link-layer address option */
	memcpy(na + 26, own_mac, 6);
	return send_nd(na, sizeof(na), dst, mac, "na", 5);
}

/* ra PREFIX6 LIFETIME: a router advertisement from our link-local address to all nodes: a default
 * route for LIFETIME s, of low preference (one that got through would lose to a host's own default
 * route of medium preference), and PREFIX6/64 on-link and autonomous (valid 60 s). */
static int do_ra(char **a)
{
	static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	uint8_t ra[72] = { 134, 0, 0, 0, 64, 0x18 }, dst[16] = { 0xff, 2, [15] = 1 };

	if (inet_pton(AF_INET6, a[0], ra + 40) != 1)
		return -2;
	put16(ra + 6, (uint16_t)atoi(a[1]));
	ra[16] = 1, ra[17] = 1;	/* source link-layer address option */
	memcpy(ra + 18, own_mac, 6);
	ra[24] = 3, ra[25] = 4, ra[26] = 64, ra[27] = 0xc0;	/* prefix information: /64, on-link, autonomous */
	ra[28 + 3] = 60, ra[32 + 3] = 30;	/* valid 60 s, preferred 30 s */
	return send_nd(ra, sizeof(ra), dst, all_nodes_mac, "ra", 3);
}

/* end OWN_IP DST_IP DST_MAC: a legitimate frame (own MAC and address) that ends a listener's count. */
static int do_end(char **a)
{
	struct in_addr src, dst;
	uint8_t mac[6];
	struct frame f;

	if (inet_pton(AF_INET, a[0], &src) != 1 || inet_pton(AF_INET, a[1], &dst) != 1 || parse_mac(a[2], mac) < 0)
		return -2;
	eth(&f, mac, own_mac, ETH_P_IP);
	udp4(&f, src.s_addr, dst.s_addr, "end");
	return send_frame(&f, 1);
}

static const char *const kinds[] = { "mac", "ip4", "arp", "ip6", "na", "ra", "end" };
#define N_KINDS (sizeof(kinds) / sizeof(*kinds))

/* The kind of a frame's tag, or -1. */
static int kind_of(const uint8_t *b, size_t len)
{
	for (size_t i = 0; i + sizeof(TAG) < len; i++)
		if (!memcmp(b + i, TAG, sizeof(TAG) - 1))
			for (size_t k = 0; k < N_KINDS; k++) {
				size_t n = strlen(kinds[k]);

				if (i + sizeof(TAG) - 1 + n < len && !memcmp(b + i + sizeof(TAG) - 1, kinds[k], n) &&
				    b[i + sizeof(TAG) - 1 + n] == ';')
					return (int)k;
			}
	return -1;
}

/* listen SECONDS: count tagged frames arriving on eth0 until an "end" frame or SECONDS; prints
 * "ready" once listening, then one "KIND COUNT" line per kind and "end seen" or "end timeout". */
static int do_listen(char **a)
{
	unsigned counts[N_KINDS] = { 0 };
	struct timespec t0, t;
	struct pollfd p = { .fd = sock, .events = POLLIN };
	uint8_t b[2048];
	long ms = atol(a[0]) * 1000, left = ms;

	printf("ready\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!counts[N_KINDS - 1] && left > 0 && poll(&p, 1, (int)left) >= 0) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(sock, b, sizeof(b), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		int k = n > 0 && from.sll_pkttype != PACKET_OUTGOING ? kind_of(b, (size_t)n) : -1;

		if (k >= 0)
			counts[k]++;
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
	}
	for (size_t k = 0; k + 1 < N_KINDS; k++)
		printf("%s %u\n", kinds[k], counts[k]);
	printf("end %s\n", counts[N_KINDS - 1] ? "seen" : "timeout");
	return 0;
}

static const struct {
	const char *name;
	int args;
	int (*fn)(char **a);
} cmds[] = {
	{ "mac", 2, do_mac }, { "ip4", 3, do_ip4 }, { "arp", 3, do_arp }, { "ip6", 3, do_ip6 },
	{ "na", 3, do_na }, { "ra", 2, do_ra }, { "end", 3, do_end }, { "listen", 1, do_listen },
};

/* Prints "<cmd> sent" or "<cmd> <ERRNO>" (the attacker's side of the attempt); exit 0 unless misused. */
int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(*cmds); i++) {
		int rc;

		if (strcmp(argv[1], cmds[i].name) || argc != cmds[i].args + 2)
			continue;
		pin_cpu();
		if (open_socket() < 0) {
			printf("%s %s\n", argv[1], probe_errno(errno));
			return 0;
		}
		rc = cmds[i].fn(argv + 2);
		if (rc == -2)
			break;
		if (strcmp(argv[1], "listen"))
			printf("%s %s\n", argv[1], rc < 0 ? probe_errno(errno) : "sent");
		return 0;
	}
	fprintf(stderr, "usage: probe_netf mac VICTIM_MAC OWN_IP | ip4 SRC DST DST_MAC | arp SENDER_IP TARGET_IP "
		"TARGET_MAC | ip6 SRC6 DST6 DST_MAC | na TARGET6 DST6 DST_MAC | ra PREFIX6 LIFETIME | "
		"end OWN_IP DST_IP DST_MAC | listen SECONDS\n");
	return 2;
}
