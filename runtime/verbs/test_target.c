/* SPDX-License-Identifier: MIT */
/* test_target.c: the address a check probes: an address as written, or the target container's address the source can reach most directly. */
#include "runtime/verbs/verbs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static bool zero6(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

static void set4(struct sockaddr_storage *sa, uint32_t addr, int port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)sa;

	memset(sa, 0, sizeof(*sa));
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(addr);
	in->sin_port = htons((uint16_t)port);
}

static void set6(struct sockaddr_storage *sa, const uint8_t addr[16], int port)
{
	struct sockaddr_in6 *in = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	in->sin6_family = AF_INET6;
	memcpy(&in->sin6_addr, addr, 16);
	in->sin6_port = htons((uint16_t)port);
}

static bool on_network(const struct container *c, size_t net)
{
	for (size_t i = 0; i < c->n_ifaces; i++)
		if (c->ifaces[i].network == net)
			return true;
	return false;
}

/* The target's interface on a network the source is on too, else its first; NULL: none. */
static const struct iface *shared_iface(const struct container *from, const struct container *to)
{
	for (size_t i = 0; i < to->n_ifaces; i++)
		if (on_network(from, to->ifaces[i].network))
			return &to->ifaces[i];
	return to->n_ifaces ? &to->ifaces[0] : NULL;
}

/* The target's end of a link between the two, else NULL. */
static const struct link_end *shared_link(const struct project *p, size_t from, size_t to)
{
	for (size_t i = 0; i < p->n_links; i++) {
		const struct link_end *e = p->links[i].end;

		if (e[0].container == from && e[1].container == to)
			return &e[1];
		if (e[1].container == from && e[0].container == to)
			return &e[0];
	}
	return NULL;
}

static int container_addr(const struct project *p, const struct check *c, struct sockaddr_storage *sa,
			  struct ce_error *err)
{
	const struct container *from = &p->containers[c->from], *to = &p->containers[c->to];
	const struct iface *f = shared_iface(from, to);
	const struct link_end *le = shared_link(p, c->from, (size_t)c->to);

	if (f && (on_network(from, f->network) || !le) && (f->addr || !zero6(f->addr6))) {
		if (f->addr)
			set4(sa, f->addr, c->port);
		else
			set6(sa, f->addr6, c->port);
		return 0;
	}
	if (le && (le->addr || le->prefix6)) {
		if (le->addr)
			set4(sa, le->addr, c->port);
		else
			set6(sa, le->addr6, c->port);
		return 0;
	}
	return ce_error_set(err, EADDRNOTAVAIL, "container %s has no address to probe", to->name);
}

int runtime_check_target(const struct project *p, const struct check *c, struct sockaddr_storage *sa, char *text,
			 size_t len, struct ce_error *err)
{
	uint8_t a6[16];
	uint32_t a4;

	if (c->kind == CHECK_RUN) {
		*text = '\0';
		return 0;
	}
	if (c->to >= 0) {
		if (container_addr(p, c, sa, err) < 0)
			return -1;
	} else if (inet_pton(AF_INET, c->target, &a4) == 1) {
		set4(sa, ntohl(a4), c->port);
	} else if (inet_pton(AF_INET6, c->target, a6) == 1) {
		set6(sa, a6, c->port);
	} else {
		return ce_error_set(err, EINVAL, "%s is not an address", c->target);
	}
	if (sa->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, text, (socklen_t)len);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, text, (socklen_t)len);
	return 0;
}
