/* SPDX-License-Identifier: MIT */
/* net/topology.h: configure a container's topology pieces from inside its own netns. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "model/project.h"
#include "net/net.h"

/* Has container `self` a route to "default" of this family (then no automatic default route)? */
bool net_topology_has_default(const struct container *c, int family);

/* Called by container `self` itself, in its netns, after net_container_configure():
 * link ends up with their addresses, IPv6 addresses (no DAD), impairments,
 * the IPv6 default route, static routes, forwarding. */
int net_topology_configure(const struct project *p, size_t self, struct ce_error *err);
