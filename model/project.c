/* SPDX-License-Identifier: MIT */
/* project.c: releasing a struct project and everything it owns. */
#include "model/project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "model/strv.h"
#include "util/addr.h"

static void container_clear(struct container *c)
{
	free(c->rootfs);
	free(c->image);
	strv_free(c->command);
	strv_free(c->env);
	free(c->ifaces);
	strv_free(c->sec.cap_add);
	strv_free(c->sec.cap_drop);
	strv_free(c->ready);
	free(c->routes);
	strv_free(c->svc.dns);
	strv_free(c->svc.dns_search);
	strv_free(c->svc.extra_hosts);
	free(c->svc.ulimits);
	strv_free(c->svc.depends_on);
	free(c->svc.depends);
	fixture_clear(&c->fx);
}

void project_free(struct project *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_containers; i++)
		container_clear(&p->containers[i]);
	free(p->containers);
	free(p->links);
	for (size_t i = 0; i < p->n_checks; i++) {
		strv_free(p->checks[i].argv);
		free(p->checks[i].output);
	}
	free(p->checks);
	strv_free(p->insecure_registries);
	free(p->networks);
	free(p->file);
	free(p);
}

static void move_addr(uint32_t *a, uint32_t from, uint32_t mask, uint32_t to)
{
	if (*a && (*a & mask) == from)
		*a = to | (*a & ~mask);
}

void project_network_move(struct project *p, size_t i, uint32_t subnet)
{
	struct network *n = &p->networks[i];
	uint32_t mask = n->prefix ? ~0u << (32 - n->prefix) : 0, from = n->subnet;

	move_addr(&n->gateway, from, mask, subnet);
	for (size_t k = 0; k < p->n_containers; k++) {
		struct container *c = &p->containers[k];

		for (size_t j = 0; j < c->n_ifaces; j++)
			if (c->ifaces[j].network == i)
				move_addr(&c->ifaces[j].addr, from, mask, subnet);
		for (size_t j = 0; j < c->n_routes; j++)
			if (c->routes[j].family == AF_INET)
				move_addr(&c->routes[j].via, from, mask, subnet);
	}
	n->subnet = subnet;
}

const char *network_addr_text(const struct network *n, uint32_t addr, char buf[32])
{
	char a[16];

	if (n->subnet_auto)
		snprintf(buf, 32, "auto+%u", addr - n->subnet);
	else
		snprintf(buf, 32, "%s", addr_format(addr, a, sizeof(a)));
	return buf;
}

const char *network_subnet_text(const struct network *n, char buf[32])
{
	char a[16];

	snprintf(buf, 32, "%s/%d", n->subnet_auto ? "auto" : addr_format(n->subnet, a, sizeof(a)), n->prefix);
	return buf;
}

void impair_print(const struct impair *im, FILE *out)
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

/* Is a in net/prefix (16 bytes each)? */
static bool in6(const uint8_t a[16], const uint8_t net[16], int prefix)
{
	for (int b = 0; b < prefix; b++)
		if ((a[b / 8] ^ net[b / 8]) & (0x80 >> (b % 8)))
			return false;
	return true;
}

static void move6(uint8_t a[16], const uint8_t from[16], int prefix, const uint8_t to[16])
{
	static const uint8_t zero[16];

	if (!memcmp(a, zero, 16) || !in6(a, from, prefix))
		return;
	for (int b = 0; b < prefix; b++) {
		uint8_t bit = 0x80 >> (b % 8);

		a[b / 8] = (uint8_t)((a[b / 8] & ~bit) | (to[b / 8] & bit));
	}
}

void project_network_move6(struct project *p, size_t i, const uint8_t subnet6[16])
{
	struct network *n = &p->networks[i];
	uint8_t from[16];

	memcpy(from, n->subnet6, 16);
	move6(n->gateway6, from, n->prefix6, subnet6);
	for (size_t k = 0; k < p->n_containers; k++) {
		struct container *c = &p->containers[k];

		for (size_t j = 0; j < c->n_ifaces; j++)
			if (c->ifaces[j].network == i)
				move6(c->ifaces[j].addr6, from, n->prefix6, subnet6);
		for (size_t j = 0; j < c->n_routes; j++)
			if (c->routes[j].family == AF_INET6)
				move6(c->routes[j].via6, from, n->prefix6, subnet6);
	}
	memcpy(n->subnet6, subnet6, 16);
}

const char *network_addr6_text(const struct network *n, const uint8_t addr6[16], char buf[48])
{
	if (n && n->subnet6_auto)	/* the host part: the last 8 bytes (auto subnets are /64s) */
		snprintf(buf, 48, "auto+%x", (unsigned)(addr6[14] << 8 | addr6[15]));
	else if (!inet_ntop(AF_INET6, addr6, buf, 48))
		snprintf(buf, 48, "?");
	return buf;
}
