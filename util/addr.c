/* SPDX-License-Identifier: MIT */
/* addr.c: IPv4 address and prefix arithmetic (host byte order), and IPv6 prefix overlap (network byte order). */
#include "util/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int addr_parse(const char *s, uint32_t *addr, int *prefix)
{
	char buf[32];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	struct in_addr in;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -1;
	*addr = ntohl(in.s_addr);
	if (!prefix)
		return slash ? -1 : 0;
	*prefix = -1;
	if (slash) {
		char *end;
		long p;

		if (!slash[1])
			return -1;
		p = strtol(slash + 1, &end, 10);
		if (*end || p < 0 || p > 32)
			return -1;
		*prefix = (int)p;
	}
	return 0;
}

uint32_t addr_mask(int prefix)
{
	return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1);
}

uint32_t addr_network(uint32_t addr, int prefix)
{
	return addr & addr_mask(prefix);
}

bool addr_in_subnet(uint32_t addr, uint32_t subnet, int prefix)
{
	return addr_network(addr, prefix) == addr_network(subnet, prefix);
}

bool addr_subnets_overlap(uint32_t a, int pa, uint32_t b, int pb)
{
	int p = pa < pb ? pa : pb;

	return addr_network(a, p) == addr_network(b, p);
}

char *addr_format(uint32_t addr, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255);
	return buf;
}

bool addr6_subnets_overlap(const uint8_t a[16], int pa, const uint8_t b[16], int pb)
{
	int p = pa < pb ? pa : pb, full, rest;

	p = p < 0 ? 0 : p > 128 ? 128 : p;
	full = p / 8, rest = p % 8;
	if (memcmp(a, b, (size_t)full))
		return false;
	return !rest || ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}
