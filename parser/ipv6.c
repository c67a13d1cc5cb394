/* SPDX-License-Identifier: MIT */
/* ipv6.c: IPv6 subnets, gateways and interface addresses in the file. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/topo.h"

int pv_ip6_parse(const char *s, uint8_t out[16], int *prefix)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	char *end;
	long p;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, out) != 1)
		return -1;
	*prefix = -1;
	if (!slash)
		return 0;
	p = strtol(slash + 1, &end, 10);
	if (!slash[1] || *end || p < 0 || p > 128)
		return -1;
	*prefix = (int)p;
	return 0;
}

bool pv_ip6_is_zero(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

bool pv_ip6_in_subnet(const uint8_t a[16], const uint8_t net[16], int prefix)
{
	int full = prefix / 8, rest = prefix % 8;

	if (memcmp(a, net, (size_t)full))
		return false;
	if (!rest)
		return true;
	return ((a[full] ^ net[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

/* a + n (n small), in place. */
static void ip6_add(uint8_t a[16], uint32_t n)
{
	uint64_t carry = n;

	for (int i = 15; i >= 0 && carry; i--) {
		carry += a[i];
		a[i] = (uint8_t)carry;
		carry >>= 8;
	}
}

/* subnet6 = "auto": a stand-in /64, 100:0:0:<i+1>::/64 (i the network's index), until up picks one. */
int pv_subnet6_auto(struct ctx *ctx, struct network *n)
{
	size_t i = (size_t)(n - ctx->p->networks) + 1;

	memset(n->subnet6, 0, 16);
	n->subnet6[1] = 1;
	n->subnet6[6] = (uint8_t)(i >> 8);
	n->subnet6[7] = (uint8_t)i;
	n->prefix6 = 64;
	n->subnet6_auto = true;
	return 0;
}

/* ipv6 = "auto": the subnet6 address with the host part of the interface's IPv4 address
 * (10.0.0.5 -> <subnet6>::5), so the two read alike. */
int pv_ip6_auto(struct ctx *ctx, const config_setting_t *s, const char *path, const struct network *n,
		const struct iface *f, uint8_t out[16])
{
	if (!n->prefix6)
		return pv_fail_at(ctx, s, path, "network %s has no subnet6", n->name);
	if (!f->addr)
		return pv_fail_at(ctx, s, path, "\"auto\" takes the host part of the interface's ip, which it has not");
	memcpy(out, n->subnet6, 16);
	ip6_add(out, f->addr - n->subnet);
	return 0;
}

const char *pv_ip6_format(const uint8_t a[16], char buf[48])
{
	if (!inet_ntop(AF_INET6, a, buf, 48))
		strcpy(buf, "?");
	return buf;
}

static int host6(struct ctx *ctx, const config_setting_t *s, const char *path, const struct network *n,
		 const char *str, uint8_t out[16])
{
	char sub[48];
	int prefix;

	if (pv_ip6_parse(str, out, &prefix) < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv6 address like fd00::2", str);
	if (!n->prefix6)
		return pv_fail_at(ctx, s, path, "network %s has no subnet6", n->name);
	if (prefix >= 0 && prefix != n->prefix6)
		return pv_fail_at(ctx, s, path, "prefix /%d does not match %s %s/%d", prefix, n->name,
				  pv_ip6_format(n->subnet6, sub), n->prefix6);
	if (!pv_ip6_in_subnet(out, n->subnet6, n->prefix6))
		return pv_fail_at(ctx, s, path, "%s is outside %s %s/%d", str, n->name,
				  pv_ip6_format(n->subnet6, sub), n->prefix6);
	if (!memcmp(out, n->subnet6, 16))
		return pv_fail_at(ctx, s, path, "%s is the subnet-router anycast address of %s", str, n->name);
	return 0;
}

int pv_net_subnet6(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;
	const char *str = NULL;
	uint8_t a[16], masked[16] = { 0 };
	int prefix;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!strcmp(str, "auto"))
		return pv_subnet6_auto(ctx, n);
	if (pv_ip6_parse(str, a, &prefix) < 0 || prefix < 0)
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv6 subnet like fd00:1::/64 or \"auto\"", str);
	if (prefix < 16 || prefix > 126)
		return pv_fail_at(ctx, s, path, "prefix /%d is outside /16../126", prefix);
	memcpy(masked, a, (size_t)(prefix / 8));
	if (prefix % 8)
		masked[prefix / 8] = a[prefix / 8] & (uint8_t)(0xff << (8 - prefix % 8));
	if (memcmp(masked, a, 16))
		return pv_fail_at(ctx, s, path, "%s has host bits set", str);
	for (size_t i = 0; ctx->p->networks + i < n; i++) {
		const struct network *o = &ctx->p->networks[i];
		int min = o->prefix6 < prefix ? o->prefix6 : prefix;

		if (o->prefix6 && pv_ip6_in_subnet(a, o->subnet6, min))
			return pv_fail_at(ctx, s, path, "%s overlaps %s", str, o->name);
	}
	memcpy(n->subnet6, a, 16);
	n->prefix6 = prefix;
	return 0;
}

int pv_net_gateway6(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct network *n = obj;
	const char *str = NULL;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!strcmp(str, "auto") && n->prefix6) {	/* the first address */
		memcpy(n->gateway6, n->subnet6, 16);
		ip6_add(n->gateway6, 1);
		return 0;
	}
	if (n->subnet6_auto)
		return pv_fail_at(ctx, s, path, "the subnet6 of %s is \"auto\": its gateway6 is \"auto\" or none", n->name);
	return host6(ctx, s, path, n, str, n->gateway6);
}

void pv_net_print6(struct printer *pr, const void *obj)
{
	const struct network *n = obj;
	char a[48], b[48];

	if (n->prefix6)
		pv_print_line(pr, "subnet6 %s/%d, gateway6 %s", n->subnet6_auto ? "auto" : pv_ip6_format(n->subnet6, a),
			      n->prefix6, pv_ip6_is_zero(n->gateway6) ? "-" : network_addr6_text(n, n->gateway6, b));
}

static int check6_free(struct ctx *ctx, const config_setting_t *s, const char *path,
		       const struct network *n, const uint8_t a[16])
{
	const struct project *p = ctx->p;
	char buf[48];

	if (!memcmp(a, n->gateway6, 16))
		return pv_fail_at(ctx, s, path, "%s is the gateway6 of %s", pv_ip6_format(a, buf), n->name);
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces; j++)
			if (!memcmp(p->containers[i].ifaces[j].addr6, a, 16))
				return pv_fail_at(ctx, s, path, "%s is already used by %s", pv_ip6_format(a, buf),
						  p->containers[i].name);
	return 0;
}

int pv_iface_ipv6(struct ctx *ctx, struct container *c, const config_setting_t *s, const char *path)
{
	struct iface *f = &c->ifaces[c->n_ifaces - 1];
	const struct network *n = &ctx->p->networks[f->network];
	const char *str = NULL;
	uint8_t a[16];
	char buf[48];

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	if (!strcmp(str, "auto")) {
		if (pv_ip6_auto(ctx, s, path, n, f, a) < 0)
			return -1;
	} else if (n->subnet6_auto) {
		return pv_fail_at(ctx, s, path, "the subnet6 of %s is \"auto\": its addresses are \"auto\" too", n->name);
	} else if (host6(ctx, s, path, n, str, a) < 0) {
		return -1;
	} else {
		ip6_add(a, (uint32_t)ctx->copy);
	}
	if (!pv_ip6_in_subnet(a, n->subnet6, n->prefix6))
		return pv_fail_at(ctx, s, path, "%s (copy %ld) is outside %s", pv_ip6_format(a, buf), ctx->copy + 1,
				  n->name);
	if (check6_free(ctx, s, path, n, a) < 0)
		return -1;
	memcpy(f->addr6, a, 16);
	return 0;
}
