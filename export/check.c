/* SPDX-License-Identifier: MIT */
/* check.c: what a cluster cannot run (refused: FILE:LINE: setting: why) and what it runs with a loss (a warning), one row per setting. */
#include "export/internal.h"

#include <string.h>

#include "model/imageref.h"

static const uint8_t zero6[16];

static int c_rootfs(struct k8s *k, const struct container *c)
{
	struct image_ref r;
	char why[128];

	if (c->rootfs_kind == ROOTFS_HOST)
		return k8s_refuse(k, c->line, "rootfs", "%s: the host's own tree is no image a cluster can pull; use image = ...",
				  c->name);
	if (c->rootfs_kind != ROOTFS_IMAGE)
		return k8s_refuse(k, c->line, "rootfs", "%s: a root tree on this host is no image a cluster can pull; use image = ...",
				  c->name);
	if (imageref_parse(c->image, &r, why, sizeof(why)) < 0 || imageref_is_file(&r))
		return k8s_refuse(k, c->line, "image",
				  "%s: a layout or archive on this host is no image a cluster can pull; push it to a registry (skopeo copy) and name it there",
				  c->name);
	return 0;
}

static int c_limits(struct k8s *k, const struct container *c)
{
	const struct limits *l = &c->limits;

	if (l->pids != PIDS_DEFAULT)
		k8s_warn(k, c->line, "pids", "%s: Kubernetes has no per-pod limit (the kubelet's podPidsLimit is per node)", c->name);
	if (l->cpu_weight)
		k8s_warn(k, c->line, "cpu_weight", "%s: not exported (use requests.cpu)", c->name);
	if (l->cpuset[0])
		k8s_warn(k, c->line, "cpuset", "%s: not exported (the kubelet's static CPU manager pins whole CPUs)", c->name);
	if (l->memory_high || l->memory_swap >= 0 || l->io_weight)
		k8s_warn(k, c->line, "memory_high", "%s: memory_high, memory_swap and io_weight are not exported", c->name);
	return 0;
}

static int c_security(struct k8s *k, const struct container *c)
{
	if (c->sec.spoofing)
		k8s_warn(k, c->line, "spoofing", "%s: not exported (the bridge plugin filters nothing)", c->name);
	if (c->sec.userns >= 0 || c->sec.uid_base)
		k8s_warn(k, c->line, "userns", "%s: not exported (the cluster's default; hostUsers: false where it allows)", c->name);
	if (c->forward)
		k8s_warn(k, c->line, "forward",
			 "%s: exported as the pod's sysctl net.ipv4.ip_forward, which the kubelet runs only with --allowed-unsafe-sysctls",
			 c->name);
	for (size_t i = 0; i < c->n_ifaces; i++)
		if (c->ifaces[i].accept_ra)
			k8s_warn(k, c->ifaces[i].line, "accept_ra", "%s: not exported (the pod keeps its runtime's setting)", c->name);
	return 0;
}

static int c_names(struct k8s *k, const struct container *c)
{
	char host[EXPORT_NAME_MAX];
	const char *why;

	if (strcmp(c->hostname, c->name) && k8s_name(c->hostname, host, &why))
		return k8s_refuse(k, c->line, "hostname", "%s: %s", c->hostname, why);
	return 0;
}

/* One row per setting of a container. */
static int (*const container_rules[])(struct k8s *, const struct container *) = {
	c_rootfs, c_names, c_limits, c_security, k8s_fixture_check, k8s_service_check,
};

static int n_network(struct k8s *k, const struct network *n)
{
	uint8_t first6[16];

	if (n->nat)
		k8s_warn(k, n->line, "nat", "%s: not exported (pods reach out through the cluster's network)", n->name);
	if (n->gateway && n->gateway != n->subnet + 1)
		k8s_warn(k, n->line, "gateway",
			 "%s: the bridge plugin gives the node's bridge the subnet's first address, not this one", n->name);
	memcpy(first6, n->subnet6, 16);
	first6[15] |= 1;
	if (n->prefix6 && memcmp(n->gateway6, zero6, 16) && memcmp(n->gateway6, first6, 16))
		k8s_warn(k, n->line, "gateway6", "%s: not exported (the bridge plugin picks the first address)", n->name);
	return 0;
}

static int l_link(struct k8s *k, const struct link *l)
{
	if (l->mtu)
		k8s_warn(k, l->line, "mtu", "meshnet links take the pods' default MTU");
	return 0;
}

int k8s_check(struct k8s *k)
{
	const struct project *p = k->p;
	int rc;

	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t r = 0; r < sizeof(container_rules) / sizeof(*container_rules); r++)
			if ((rc = container_rules[r](k, &p->containers[i])) != 0)
				return rc;
	for (size_t i = 0; i < p->n_networks; i++)
		if ((rc = n_network(k, &p->networks[i])) != 0)
			return rc;
	for (size_t i = 0; i < p->n_links; i++)
		if ((rc = l_link(k, &p->links[i])) != 0)
			return rc;
	return 0;
}
