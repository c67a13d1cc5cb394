/* SPDX-License-Identifier: MIT */
/* pod.c: one container copy as a Pod: image, command, env, capabilities, limits, readiness, restart, hostname, hosts, sysctls, its networks and the network init container. */
#include "export/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "util/cleanup.h"

/* The annotation Multus reads: the pod's interfaces on cengine's networks. */
static int pod_meta(struct k8s *k, size_t c, struct yaml *y)
{
	_cleanup_free_ char *nets = NULL;
	size_t len = 0;
	FILE *m;

	yaml_head(y, k, "v1", "Pod", k->pod[c]);
	if (!k->p->containers[c].n_ifaces)
		return 0;
	m = open_memstream(&nets, &len);
	if (!m)
		return ce_error_set(k->err, errno, "export: memory");
	k8s_networks_annotation(k, c, m);
	if (fclose(m) != 0)
		return ce_error_set(k->err, errno, "export: memory");
	yaml_key(y, 2, "annotations");
	yaml_str(y, 4, "k8s.v1.cni.cncf.io/networks", nets);
	return 0;
}

/* /etc/hosts as cengine writes it: each container's first interface's addresses, its name; then
 * this container's extra_hosts. */
static void pod_hosts(struct k8s *k, size_t c, struct yaml *y)
{
	char *const *extra = k->p->containers[c].svc.extra_hosts;
	char ip[INET6_ADDRSTRLEN];
	bool any = extra && extra[0];

	for (size_t i = 0; i < k->p->n_containers; i++)
		any |= k->p->containers[i].n_ifaces > 0;
	if (!any)
		return;
	yaml_key(y, 2, "hostAliases");
	for (size_t i = 0; i < k->p->n_containers; i++) {
		const struct container *o = &k->p->containers[i];

		for (int v6 = 0; o->n_ifaces && v6 < 2; v6++) {
			if (v6 && !(memcmp(o->ifaces[0].addr6, (uint8_t[16]){ 0 }, 16) &&
				    inet_ntop(AF_INET6, o->ifaces[0].addr6, ip, sizeof(ip))))
				continue;
			if (!v6)
				addr_format(o->ifaces[0].addr, ip, sizeof(ip));
			yaml_item(y);
			yaml_str(y, 4, "ip", ip);
			yaml_key(y, 4, "hostnames");
			yaml_list_str(y, 4, k->pod[i]);
		}
	}
	k8s_extra_hosts(k, c, y);
}

static void sysctl_item(struct yaml *y, const char *name, const char *value)
{
	yaml_item(y);
	yaml_str(y, 6, "name", name);
	yaml_str(y, 6, "value", value);
}

static bool fixture_sets(const struct fixture *fx, const char *key)
{
	for (size_t i = 0; i < fx->n_sysctls; i++)
		if (!strcmp(fx->sysctls[i].key, key))
			return true;
	return false;
}

/* The pod's sysctls: the file's, and forward's forwarding ones where the file sets them not
 * (namespaced; those the kubelet calls unsafe are warned by check). */
static void pod_security(struct k8s *k, size_t c, struct yaml *y)
{
	const struct container *ct = &k->p->containers[c];
	const struct fixture *fx = &ct->fx;
	bool v6 = false;

	if (!ct->forward && !fx->n_sysctls)
		return;
	for (size_t i = 0; i < ct->n_ifaces; i++)
		v6 |= memcmp(ct->ifaces[i].addr6, (uint8_t[16]){ 0 }, 16) != 0;
	yaml_key(y, 2, "securityContext");
	yaml_key(y, 4, "sysctls");
	if (ct->forward && !fixture_sets(fx, "net.ipv4.ip_forward"))
		sysctl_item(y, "net.ipv4.ip_forward", "1");
	if (ct->forward && v6 && !fixture_sets(fx, "net.ipv6.conf.all.forwarding"))
		sysctl_item(y, "net.ipv6.conf.all.forwarding", "1");
	for (size_t i = 0; i < fx->n_sysctls; i++)
		sysctl_item(y, fx->sysctls[i].key, fx->sysctls[i].value);
}

static int pod_init(struct k8s *k, size_t c, struct yaml *y)
{
	_cleanup_free_ char *script = NULL;

	if (k8s_netinit(k, c, &script) < 0)
		return -1;
	if (!script)
		return 0;
	yaml_key(y, 2, "initContainers");
	yaml_item(y);
	yaml_str(y, 4, "name", "cengine-net");
	yaml_str(y, 4, "image", k->o->init_image ? k->o->init_image : EXPORT_INIT_IMAGE_DEFAULT);
	yaml_strv(y, 4, "command", (char *[]){ "sh", "-ec", script, NULL });
	yaml_key(y, 4, "securityContext");
	yaml_key(y, 6, "capabilities");
	yaml_strv(y, 8, "add", (char *[]){ "NET_ADMIN", NULL });
	return 0;
}

static const char *const restart_names[] = {
	[RESTART_NO] = "Never", [RESTART_ON_FAILURE] = "OnFailure", [RESTART_ALWAYS] = "Always",
};

int k8s_pod(struct k8s *k, size_t c, FILE *f)
{
	const struct container *ct = &k->p->containers[c];
	struct yaml y = { f, false };
	char host[EXPORT_NAME_MAX];
	const char *why;

	if (pod_meta(k, c, &y) < 0)
		return -1;
	yaml_key(&y, 0, "spec");
	if (strcmp(ct->hostname, ct->name) && !k8s_name(ct->hostname, host, &why))
		yaml_str(&y, 2, "hostname", host);
	else
		yaml_str(&y, 2, "hostname", k->pod[c]);
	yaml_str(&y, 2, "restartPolicy", restart_names[ct->restart]);
	k8s_stop_timeout(k, c, &y);
	k8s_dns(k, c, &y);
	pod_hosts(k, c, &y);
	pod_security(k, c, &y);
	if (pod_init(k, c, &y) < 0)
		return -1;
	yaml_key(&y, 2, "containers");
	k8s_container(k, c, &y);
	k8s_volumes(k, c, &y);
	return 0;
}
