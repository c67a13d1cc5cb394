/* SPDX-License-Identifier: MIT */
/* bench/pinger.c: ICMP echo to COUNT consecutive addresses at once; exits 0 once every one has replied. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/csum.h"

#define RESEND_MS 200	/* an address in flight that stays silent is asked again after this long */
/* Addresses in flight at once (default 8): a storm of ARP broadcasts flooded to every port of a
 * 1,000-port bridge overflows the per-CPU backlog, and a lost ARP reply costs a 1 s retry. */
static int window = 8;

static double now_ms(void)
{
	return (double)clock_mono_us() / 1e3;
}

static void send_echo(int sk, uint32_t addr, uint16_t id, uint16_t seq)
{
	struct icmphdr h = { .type = ICMP_ECHO };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(addr) };

	h.un.echo.id = htons(id);
	h.un.echo.sequence = htons(seq);
	h.checksum = csum_inet(&h, sizeof(h));
	if (sendto(sk, &h, sizeof(h), 0, (struct sockaddr *)&to, sizeof(to)) < 0 && errno != EAGAIN &&
	    errno != ENOBUFS && errno != EHOSTUNREACH)
		perror("pinger: sendto");
}

/* Keep up to `window` addresses in flight: first sends, then resends of those silent for RESEND_MS. */
static void send_window(int sk, uint32_t first, double *sent, const char *got, int count, uint16_t id)
{
	double t = now_ms();
	int flying = 0;

	for (int i = 0; i < count; i++)
		flying += sent[i] > 0 && !got[i];
	for (int i = 0; i < count; i++) {
		if (got[i])
			continue;
		if (sent[i] > 0 && t - sent[i] < RESEND_MS)
			continue;
		if (sent[i] == 0 && flying >= window)
			continue;
		flying += sent[i] == 0;
		sent[i] = t;
		send_echo(sk, first + (uint32_t)i, id, (uint16_t)(i + 1));
	}
}

/* Read every queued reply; returns how many new addresses answered. */
static int read_replies(int sk, uint32_t first, char *got, int count, uint16_t id)
{
	unsigned char buf[1500];
	int fresh = 0;
	ssize_t n;

	while ((n = recv(sk, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		struct iphdr *ip = (struct iphdr *)buf;
		size_t hl = (size_t)ip->ihl * 4;
		struct icmphdr *h = (struct icmphdr *)(buf + hl);
		long i = (long)ntohl(ip->saddr) - (long)first;

		if ((size_t)n < hl + sizeof(*h) || h->type != ICMP_ECHOREPLY || ntohs(h->un.echo.id) != id)
			continue;
		if (i >= 0 && i < count && ntohs(h->un.echo.sequence) == i + 1 && !got[i]) {
			got[i] = 1;
			fresh++;
		}
	}
	return fresh;
}

static int open_socket(void)
{
	int sk = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	int size = 8 << 20;

	if (sk < 0) {
		perror("pinger: raw ICMP socket (needs root)");
		exit(2);
	}
	/* a thousand replies at once must not overflow the default receive buffer */
	if (setsockopt(sk, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(sk, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return sk;
}

int main(int argc, char **argv)
{
	struct in_addr a;
	int count = argc > 2 ? atoi(argv[2]) : 0, left, sk;
	double timeout = argc > 3 ? atof(argv[3]) : 10000, start = now_ms();
	uint16_t id = (uint16_t)getpid();
	double *sent;
	char *got;

	if (argc > 4)
		window = atoi(argv[4]);
	if (argc < 3 || window < 1 || inet_pton(AF_INET, argv[1], &a) != 1 || count < 1 || count > 65535) {
		fputs("usage: pinger FIRST-ADDRESS COUNT [TIMEOUT-MS [WINDOW]]\n", stderr);
		return 2;
	}
	got = calloc((size_t)count, 1);
	sent = calloc((size_t)count, sizeof(*sent));
	sk = open_socket();
	for (left = count; left > 0 && now_ms() - start < timeout;) {
		struct pollfd p = { .fd = sk, .events = POLLIN };

		send_window(sk, ntohl(a.s_addr), sent, got, count, id);
		if (poll(&p, 1, 1) > 0)
			left -= read_replies(sk, ntohl(a.s_addr), got, count, id);
	}
	if (left)
		fprintf(stderr, "pinger: %d of %d addresses did not answer within %.0f ms\n", left, count, timeout);
	close(sk);
	free(got);
	free(sent);
	return left ? 1 : 0;
}
