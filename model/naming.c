/* SPDX-License-Identifier: MIT */
/* naming.c: deterministic names for host objects (bridges, veths, cgroups) and the project-name rule. */
#include "model/naming.h"

#include <stdio.h>
#include <string.h>

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

/* Feed s into a running FNV-1a hash, so "a/b" can be hashed piecewise. */
static unsigned fnv_feed(unsigned h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= FNV_PRIME;
	}
	return h;
}

unsigned naming_hash(const char *s)
{
	return fnv_feed(FNV_OFFSET, s);
}

void naming_bridge(const char *project, const char *network, char out[CE_IFNAME_MAX])
{
	unsigned h;

	if (snprintf(out, CE_IFNAME_MAX, "ce-%s-%s", project, network) < CE_IFNAME_MAX)
		return;
	h = fnv_feed(fnv_feed(fnv_feed(FNV_OFFSET, project), "/"), network);
	snprintf(out, CE_IFNAME_MAX, "ce-%08x", h);
}

void naming_veth(const char *project, const char *container, size_t index, char out[CE_IFNAME_MAX])
{
	char idx[24];
	unsigned h;

	snprintf(idx, sizeof(idx), "%zu", index);
	h = fnv_feed(FNV_OFFSET, project);
	h = fnv_feed(fnv_feed(h, "/"), container);
	h = fnv_feed(fnv_feed(h, "/"), idx);
	/* "ve" + 8 hex + "-" leaves 4 bytes: indexes up to 9999 fit. */
	snprintf(out, CE_IFNAME_MAX, "ve%08x-%.4s", h, idx);
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

	return len >= 1 && len <= CE_PROJECT_MAX &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == len;
}

unsigned naming_group(const char *project)
{
	return naming_hash(project) | 0x40000000u;
}
