/* SPDX-License-Identifier: MIT */
/* probe.c: ping (raw ICMP/ICMPv6 echo), TCP connect and UDP probes from the current network namespace, with a deadline. */
#include "runtime/verbs/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/clock.h"
#include "util/csum.h"

#define PING_INTERVAL_S 0.05	/* between echo requests of one ping */

struct echo {
	uint8_t type, code;
	uint16_t sum, id, seq;
	uint64_t sent_us;	/* payload: when it was sent */
} __attribute__((packed));

static socklen_t sa_len(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* A raw socket that only hears echo replies (the kernel filters the rest). */
static int echo_socket(int family)
{
	int fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);

	if (fd < 0)
		return -1;
	if (family == AF_INET6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	} else {
		struct icmp_filter f = { ~(1u << ICMP_ECHOREPLY) };

		setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	}
	return fd;
}

static int echo_send(int fd, const struct sockaddr_storage *dst, uint16_t id, uint16_t seq)
{
	struct echo e = { .type = dst->ss_family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO, .id = htons(id),
			  .seq = htons(seq), .sent_us = clock_mono_us() };

	if (dst->ss_family == AF_INET)	/* ICMPv6's the kernel computes */
		e.sum = csum_inet(&e, sizeof(e));
	return sendto(fd, &e, sizeof(e), 0, (const struct sockaddr *)dst, sa_len(dst)) < 0 ? -1 : 0;
}

/* One reply of ours: its seq, and its round trip in *rtt_us; -1 for anything else. */
static int echo_recv(int fd, int family, uint16_t id, int count, uint64_t *rtt_us)
{
	uint8_t buf[512];
	ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	size_t off = 0;
	struct echo e;

	if (n < 0)
		return -1;
	if (family == AF_INET)	/* a raw IPv4 socket gets the IP header too */
		off = (size_t)(buf[0] & 0x0f) * 4;
	if ((size_t)n < off + sizeof(e))
		return -1;
	memcpy(&e, buf + off, sizeof(e));
	if (ntohs(e.id) != id || ntohs(e.seq) >= count)
		return -1;
	*rtt_us = clock_mono_us() - e.sent_us;
	return ntohs(e.seq);
}

struct ping_run {
	int fd, family, got, sent;
	uint16_t id;
	uint64_t max_rtt_us;
	bool seen[1000];
};

/* Send the next request when its time has come; wait for replies until the next send or the deadline. */
static void ping_step(struct ping_run *pr, const struct sockaddr_storage *dst, const struct probe_ping *o,
		      uint64_t start, uint64_t deadline)
{
	uint64_t now = clock_mono_us(), next = start + (uint64_t)(pr->sent * PING_INTERVAL_S * 1e6), until, rtt;
	struct pollfd p = { pr->fd, POLLIN, 0 };
	int seq;

	if (pr->sent < o->count && now >= next) {
		if (echo_send(pr->fd, dst, pr->id, (uint16_t)pr->sent) == 0 || errno != EINTR)
			pr->sent++;
		next = start + (uint64_t)(pr->sent * PING_INTERVAL_S * 1e6);
	}
	until = pr->sent < o->count && next < deadline ? next : deadline;
	now = clock_mono_us();
	if (poll(&p, 1, until > now ? (int)((until - now + 999) / 1000) : 0) <= 0)
		return;
	while ((seq = echo_recv(pr->fd, pr->family, pr->id, o->count, &rtt)) >= 0)
		if (!pr->seen[seq]) {
			pr->seen[seq] = true;
			pr->got++;
			pr->max_rtt_us = rtt > pr->max_rtt_us ? rtt : pr->max_rtt_us;
		}
}

void probe_ping(const struct sockaddr_storage *dst, const struct probe_ping *o, double timeout,
		struct probe_result *r)
{
	struct ping_run pr = { .family = dst->ss_family, .id = (uint16_t)getpid() };
	uint64_t start = clock_mono_us(), deadline = start + (uint64_t)(timeout * 1e6);
	bool strict = o->max_rtt_ms > 0 || o->max_loss >= 0;
	struct probe_ping one = *o;

	one.count = o->count > 1000 ? 1000 : o->count;
	pr.fd = echo_socket(dst->ss_family);
	if (pr.fd < 0) {
		snprintf(r->seen, sizeof(r->seen), "no raw ICMP socket: %s", strerror(errno));
		return;
	}
	while (clock_mono_us() < deadline && pr.got < one.count && (strict || !pr.got))
		ping_step(&pr, dst, &one, start, deadline);
	close(pr.fd);
	r->loss = 100.0 * (pr.sent - pr.got) / (pr.sent ? pr.sent : 1);
	r->rtt_ms = pr.max_rtt_us / 1e3;
	r->ok = pr.got > 0 && (o->max_loss < 0 || r->loss <= o->max_loss) &&
		(o->max_rtt_ms <= 0 || r->rtt_ms <= o->max_rtt_ms);
	if (pr.got)
		snprintf(r->seen, sizeof(r->seen), "%d/%d replies, loss %.3g%%, rtt max %.3f ms", pr.got, pr.sent,
			 r->loss, r->rtt_ms);
	else
		snprintf(r->seen, sizeof(r->seen), "no reply to %d echo requests in %gs", pr.sent, timeout);
}

/* Wait until fd has events or the deadline: poll's revents, 0 on timeout. */
static int wait_for(int fd, short events, double timeout)
{
	struct pollfd p = { fd, events, 0 };
	int rc;

	do
		rc = poll(&p, 1, (int)(timeout * 1000));
	while (rc < 0 && errno == EINTR);
	return rc > 0 ? p.revents : 0;
}

void probe_tcp(const struct sockaddr_storage *dst, double timeout, struct probe_result *r)
{
	_cleanup_close_ int fd = socket(dst->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	uint64_t start = clock_mono_us();
	int e = 0;
	socklen_t len = sizeof(e);

	if (fd < 0 || (connect(fd, (const struct sockaddr *)dst, sa_len(dst)) < 0 && errno != EINPROGRESS)) {
		snprintf(r->seen, sizeof(r->seen), "connect: %s", strerror(errno));
		return;
	}
	if (!wait_for(fd, POLLOUT, timeout)) {
		snprintf(r->seen, sizeof(r->seen), "no answer to the connect in %gs", timeout);
		return;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
	r->rtt_ms = (double)(clock_mono_us() - start) / 1e3;
	r->ok = e == 0;
	if (e)
		snprintf(r->seen, sizeof(r->seen), "connect: %s", strerror(e));
	else
		snprintf(r->seen, sizeof(r->seen), "connected in %.3f ms", r->rtt_ms);
}

void probe_udp(const struct sockaddr_storage *dst, double timeout, struct probe_result *r)
{
	_cleanup_close_ int fd = socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	static const char probe[] = "cengine test\n";
	char buf[64];

	if (fd < 0 || connect(fd, (const struct sockaddr *)dst, sa_len(dst)) < 0 ||
	    send(fd, probe, sizeof(probe) - 1, 0) < 0) {
		snprintf(r->seen, sizeof(r->seen), "send: %s", strerror(errno));
		return;
	}
	if (!wait_for(fd, POLLIN, timeout)) {
		r->ok = true;
		snprintf(r->seen, sizeof(r->seen), "no ICMP error in %gs (open or filtered)", timeout);
		return;
	}
	r->ok = recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0;
	snprintf(r->seen, sizeof(r->seen), "%s", r->ok ? "answered" : strerror(errno));
}
