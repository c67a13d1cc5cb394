/* SPDX-License-Identifier: MIT */
/* router.c: is a container a router (forward = true, or a sysctl that turns forwarding on in its netns)? */
#include "model/project.h"

#include <string.h>

/* The forwarding switches of a netns, in sysctl(8)'s dotted form (a '/' form is the same with '/'). */
static const char *const forwarding[] = {
	"net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding", "net.ipv6.conf.all.forwarding",
};

static bool is_forwarding(const char *key)
{
	char dotted[128];
	size_t len = strlen(key);

	if (len >= sizeof(dotted))
		return false;
	for (size_t i = 0; i <= len; i++)
		dotted[i] = key[i] == '/' ? '.' : key[i];
	for (size_t i = 0; i < sizeof(forwarding) / sizeof(*forwarding); i++)
		if (!strcmp(dotted, forwarding[i]))
			return true;
	return false;
}

bool container_is_router(const struct container *c)
{
	if (c->forward)
		return true;
	for (size_t i = 0; i < c->fx.n_sysctls; i++)
		if (is_forwarding(c->fx.sysctls[i].key) && strcmp(c->fx.sysctls[i].value, "0"))
			return true;
	return false;
}
