/* SPDX-License-Identifier: MIT */
/* naming.c: deterministic names for host objects (bridges, veths, cgroups), the ownership mark and the project-name rule. */
#include "model/naming.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/sha256.h"

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u
#define HASHED_CHARS 13		/* "ce"/"ve" + 13 = 15 bytes, IFNAMSIZ - 1 */
#define PROJECT_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

unsigned naming_hash(const char *s)
{
	unsigned h = FNV_OFFSET;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= FNV_PRIME;
	}
	return h;
}

/* prefix + HASHED_CHARS base32 characters (RFC 4648 alphabet, lower case: no
 * separator, valid in any interface name) of SHA-256 of the NUL-separated parts. */
static void hashed_name(const char *prefix, const char *const *parts, size_t n, char out[CE_IFNAME_MAX])
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	char buf[256];
	uint8_t d[32];
	size_t len = 0;
	int k;

	for (size_t i = 0; i < n; i++) {
		k = snprintf(buf + len, sizeof(buf) - len, "%s", parts[i]);
		len += (size_t)k + 1 < sizeof(buf) - len ? (size_t)k + 1 : 0;	/* the NUL is the separator */
	}
	sha256_bytes(buf, len ? len - 1 : 0, d);	/* no NUL after the last part */
	k = snprintf(out, CE_IFNAME_MAX, "%s", prefix);
	for (int i = 0; i < HASHED_CHARS && k < CE_IFNAME_MAX - 1; i++, k++) {
		int bit = 5 * i;	/* 5 bits from d, most significant first */
		unsigned v = ((unsigned)d[bit / 8] << 8 | d[bit / 8 + 1]) >> (11 - bit % 8);

		out[k] = b32[v & 31];
	}
	out[k] = '\0';
}

void naming_bridge(const char *project, const char *network, char out[CE_IFNAME_MAX])
{
	const char *parts[] = { "bridge", project, network };

	if (!strchr(project, '-') && !strchr(network, '-') &&
	    snprintf(out, CE_IFNAME_MAX, "ce-%s-%s", project, network) < CE_IFNAME_MAX)
		return;
	hashed_name("ce", parts, 3, out);
}

void naming_veth(const char *project, const char *container, size_t index, char out[CE_IFNAME_MAX])
{
	char idx[24];
	const char *parts[] = { "veth", project, container, idx };

	snprintf(idx, sizeof(idx), "%zu", index);
	hashed_name("ve", parts, 4, out);
}

void naming_cgroup(const char *project, const char *container, char *out, size_t len)
{
	if (container)
		snprintf(out, len, "cengine/%s/%s", project, container);
	else
		snprintf(out, len, "cengine/%s", project);
}

bool naming_project_valid(const char *name)
{
	size_t len = strlen(name);

	return len >= 1 && len <= CE_PROJECT_MAX && strspn(name, PROJECT_CHARS) == len;
}

unsigned naming_group(const char *project)
{
	return naming_hash(project) | 0x40000000u;
}

void naming_mark(const char *project, const char *role, char *out, size_t len)
{
	snprintf(out, len, "cengine:%s:%s", project, role);
}

bool naming_mark_owner(const char *s, char project[CE_PROJECT_MAX + 1], char role[NAMING_ROLE_MAX])
{
	size_t plen, rlen;

	if (strncmp(s, "cengine:", 8))
		return false;
	s += 8;
	plen = strspn(s, PROJECT_CHARS);
	if (plen < 1 || plen > CE_PROJECT_MAX || s[plen] != ':')
		return false;
	rlen = strspn(s + plen + 1, "abcdefghijklmnopqrstuvwxyz");
	if (rlen < 1 || rlen >= NAMING_ROLE_MAX || s[plen + 1 + rlen])
		return false;
	snprintf(project, CE_PROJECT_MAX + 1, "%.*s", (int)plen, s);
	snprintf(role, NAMING_ROLE_MAX, "%s", s + plen + 1);
	return true;
}
