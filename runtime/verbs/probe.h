/* SPDX-License-Identifier: MIT */
/* probe.h: the network probes of `cengine test`, run by cengine itself in the network namespace it is in (no tool in the image). */
#pragma once

#include <stdbool.h>
#include <sys/socket.h>

#define PROBE_SEEN_MAX 400

/* What one attempt saw: ok, and in words what happened ("3/3 replies, rtt max 0.08 ms"). */
struct probe_result {
	bool ok;
	bool done;		/* the check has its result (the scheduler's) */
	double rtt_ms;		/* ping: the slowest reply; tcp: the connect */
	double loss;		/* ping: percent unanswered */
	int attempts;
	double seconds;		/* the check's wall time, attempts included */
	char seen[PROBE_SEEN_MAX];
};

struct probe_ping {
	int count;		/* echo requests */
	double max_rtt_ms;	/* 0: any */
	double max_loss;	/* percent; < 0: all but one may be lost */
};

/* count ICMP echo requests (a raw socket, IPv4 or IPv6) to dst within timeout seconds. Without
 * max_rtt and max_loss it stops at the first reply. */
void probe_ping(const struct sockaddr_storage *dst, const struct probe_ping *o, double timeout,
		struct probe_result *r);
/* A TCP connect: ok when it is accepted within timeout. */
void probe_tcp(const struct sockaddr_storage *dst, double timeout, struct probe_result *r);
/* One UDP datagram: ok on a reply, or when no ICMP error (port or host unreachable) came back
 * within timeout (open or filtered: UDP cannot tell them apart without the protocol). */
void probe_udp(const struct sockaddr_storage *dst, double timeout, struct probe_result *r);
