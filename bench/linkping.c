/* SPDX-License-Identifier: MIT */
/* bench/linkping.c: one ICMP echo over each listed link, sent from inside a container's netns; exits 0 once all replied. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/csum.h"

/* stdin: one line per link, "PID ADDRESS": the echo leaves from PID's network namespace to ADDRESS
 * (the link's far end). One raw socket per namespace, made inside it (a socket stays in the netns it
 * was made in), then all echoes from this one process: WINDOW in flight, each resent after RESEND_MS. */
#define RESEND_MS 200
#define WINDOW 64
#define MAX_LINKS 65535

struct target {
	int sk;			/* index into the socket table */
	uint32_t addr;		/* host order */
	double sent;		/* ms, 0 = not yet */
	char got;
};

static struct target *t;
static struct pollfd *socks;
static int n_t, n_socks;

static double now_ms(void)
{
	return (double)clock_mono_us() / 1e3;
}

/* The socket of PID's netns: made on first use (setns in, socket, setns back). */
static int socket_of(pid_t pid, int home, pid_t *pids)
{
	char path[64];
	int ns, sk, size = 1 << 20;

	for (int i = 0; i < n_socks; i++)
		if (pids[i] == pid)
			return i;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
		perror(path);
		exit(2);
	}
	sk = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
	if (sk < 0 || setns(home, CLONE_NEWNET) < 0) {
		perror("linkping: raw ICMP socket in the container's netns (needs root)");
		exit(2);
	}
	setsockopt(sk, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	close(ns);
	pids[n_socks] = pid;
	socks[n_socks] = (struct pollfd){ .fd = sk, .events = POLLIN };
	return n_socks++;
}

static void read_targets(void)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	pid_t *pids = calloc(MAX_LINKS, sizeof(*pids));
	char addr[64];
	struct in_addr a;
	int pid;

	t = calloc(MAX_LINKS, sizeof(*t));
	socks = calloc(MAX_LINKS, sizeof(*socks));
	if (home < 0 || !pids || !t || !socks)
		exit(2);
	while (n_t < MAX_LINKS && scanf("%d %63s", &pid, addr) == 2) {
		if (inet_pton(AF_INET, addr, &a) != 1) {
			fprintf(stderr, "linkping: not an IPv4 address: %s\n", addr);
			exit(2);
		}
		t[n_t++] = (struct target){ .sk = socket_of(pid, home, pids), .addr = ntohl(a.s_addr) };
	}
	free(pids);
	close(home);
}

static void send_echo(int i, uint16_t id)
{
	struct icmphdr h = { .type = ICMP_ECHO };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(t[i].addr) };

	h.un.echo.id = htons(id);
	h.un.echo.sequence = htons((uint16_t)(i + 1));
	h.checksum = csum_inet(&h, sizeof(h));
	if (sendto(socks[t[i].sk].fd, &h, sizeof(h), 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
	    errno != EAGAIN && errno != ENOBUFS && errno != EHOSTUNREACH)
		perror("linkping: sendto");
	t[i].sent = now_ms();
}

static void send_window(uint16_t id)
{
	double now = now_ms();
	int flying = 0;

	for (int i = 0; i < n_t; i++)
		flying += t[i].sent > 0 && !t[i].got;
	for (int i = 0; i < n_t; i++) {
		if (t[i].got || (t[i].sent > 0 && now - t[i].sent < RESEND_MS) || (t[i].sent == 0 && flying >= WINDOW))
			continue;
		flying += t[i].sent == 0;
		send_echo(i, id);
	}
}

/* Replies on socket s: a reply counts for target seq - 1 when it came from that target's address. */
static int read_replies(int s, uint16_t id)
{
	unsigned char buf[1500];
	int fresh = 0;
	ssize_t n;

	while ((n = recv(socks[s].fd, buf, sizeof(buf), 0)) > 0) {
		struct iphdr *ip = (struct iphdr *)buf;
		size_t hl = (size_t)ip->ihl * 4;
		struct icmphdr *h = (struct icmphdr *)(buf + hl);
		int i = ntohs(h->un.echo.sequence) - 1;

		if ((size_t)n < hl + sizeof(*h) || h->type != ICMP_ECHOREPLY || ntohs(h->un.echo.id) != id)
			continue;
		if (i >= 0 && i < n_t && t[i].sk == s && t[i].addr == ntohl(ip->saddr) && !t[i].got) {
			t[i].got = 1;
			fresh++;
		}
	}
	return fresh;
}

int main(int argc, char **argv)
{
	double timeout = argc > 1 ? atof(argv[1]) : 10000, start = now_ms();
	uint16_t id = (uint16_t)getpid();
	int left;

	read_targets();
	if (!n_t) {
		fputs("usage: linkping [TIMEOUT-MS] <LINES of \"PID ADDRESS\"\n", stderr);
		return 2;
	}
	for (left = n_t; left > 0 && now_ms() - start < timeout;) {
		send_window(id);
		if (poll(socks, (nfds_t)n_socks, 1) > 0)
			for (int s = 0; s < n_socks; s++)
				if (socks[s].revents & POLLIN)
					left -= read_replies(s, id);
	}
	if (left)
		fprintf(stderr, "linkping: %d of %d links did not answer within %.0f ms\n", left, n_t, timeout);
	for (int i = 0, shown = 0; i < n_t && shown < 5; i++)
		if (!t[i].got)
			fprintf(stderr, "linkping: no answer from %u.%u.%u.%u (line %d)\n", t[i].addr >> 24,
				t[i].addr >> 16 & 255, t[i].addr >> 8 & 255, t[i].addr & 255, i + 1), shown++;
	return left ? 1 : 0;
}
