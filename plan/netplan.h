/* SPDX-License-Identifier: MIT */
/* plan/netplan.h: a container's whole network as one flat description for net/ (interfaces, routes, forwarding), and the project's bridge ports for its filter. */
#pragma once

#include <stddef.h>

#include "model/project.h"
#include "net/net.h"
#include "util/error.h"

/* Describe container `index` of p: its network interfaces (eth0.. in file
 * order), then its link ends, each with its addresses, neighbour gateway and
 * impairments; the implied default routes (IPv4 via the first network gateway,
 * IPv6 via the first gateway6 of an interface with an IPv6 address, each unless
 * the file routes "default" of that family itself), then the file's routes;
 * forwarding. Arrays sized to fit, any number. Free with plan_container_net_free(). */
int plan_container_net(const struct project *p, size_t index, struct net_container_desc *out,
		       struct ce_error *err);

/* Free what plan_container_net() allocated and zero *d (a zeroed *d is fine). */
void plan_container_net_free(struct net_container_desc *d);

/* The project's bridge ports (each container interface on a network: its host
 * veth end, addresses, network, forward and spoofing) and bridges (with nat),
 * for net_filter_add(). Free with plan_project_filter_free(). */
int plan_project_filter(const struct project *p, struct net_filter *out, struct ce_error *err);
void plan_project_filter_free(struct net_filter *f);
