/* SPDX-License-Identifier: MIT */
/* netattach.c: a cengine network as a Multus NetworkAttachmentDefinition (bridge, static IPAM, tuning, bandwidth) and a pod's networks annotation. */
#include "export/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "util/cleanup.h"
#include "util/json.h"

/* Does any interface on network n shape its rate (the bandwidth plugin then joins the chain)? */
static bool network_rate(const struct project *p, size_t n)
{
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces; j++)
			if (p->containers[i].ifaces[j].network == n && p->containers[i].ifaces[j].impair.rate)
				return true;
	return false;
}

/* The CNI configuration list: the node's bridge (the gateway's address on it when the network has
 * one), addresses from the pod's annotation (runtimeConfig ips) through static IPAM, its MAC
 * through tuning, its rate through bandwidth. */
static json_t *cni_config(const struct k8s *k, size_t n)
{
	const struct network *net = &k->p->networks[n];
	json_t *bridge = json_pack("{s:s, s:o, s:b}", "type", "bridge", "bridge", json_text(net->bridge), "isGateway",
				   net->gateway != 0);
	json_t *plugins = json_array();

	if (net->mtu)
		json_object_set_new(bridge, "mtu", json_integer(net->mtu));
	json_object_set_new(bridge, "capabilities", json_pack("{s:b}", "ips", 1));
	json_object_set_new(bridge, "ipam", json_pack("{s:s}", "type", "static"));
	json_array_append_new(plugins, bridge);
	json_array_append_new(plugins, json_pack("{s:s, s:{s:b}}", "type", "tuning", "capabilities", "mac", 1));
	if (network_rate(k->p, n))
		json_array_append_new(plugins, json_pack("{s:s, s:{s:b}}", "type", "bandwidth", "capabilities",
							 "bandwidth", 1));
	return json_pack("{s:s, s:o, s:o}", "cniVersion", "0.4.0", "name", json_text(k->net[n]), "plugins", plugins);
}

int k8s_netattach(struct k8s *k, size_t n, FILE *f)
{
	struct yaml y = { f, false };
	_cleanup_free_ char *config = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&config, &len);

	if (!m)
		return ce_error_set(k->err, errno, "export: memory");
	if (json_write(m, cni_config(k, n)) < 0) {
		fclose(m);
		return ce_error_set(k->err, ENOMEM, "export: memory");
	}
	if (fclose(m) != 0)
		return ce_error_set(k->err, errno, "export: memory");
	yaml_head(&y, k, "k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition", k->net[n]);
	yaml_key(&y, 0, "spec");
	yaml_str(&y, 2, "config", config);
	return 0;
}

/* cengine's tbf burst for a rate (bytes/s): 10 ms worth, at least 4096 bytes (net/qdisc.c). */
static uint64_t burst_of(uint64_t rate)
{
	return rate / 100 > 4096 ? rate / 100 : 4096;
}

static json_t *network_element(const struct k8s *k, const struct iface *ifc)
{
	const struct network *net = &k->p->networks[ifc->network];
	char ip[INET6_ADDRSTRLEN], cidr[INET6_ADDRSTRLEN + 8], ifname[NET_IFNAME_MAX], macs[18];
	json_t *ips = json_array(), *e;
	uint8_t mac[6];

	k8s_ifname(ifc->ifname, ifname);
	net_mac_of(ifc->addr, mac);
	snprintf(cidr, sizeof(cidr), "%s/%d", addr_format(ifc->addr, ip, sizeof(ip)), ifc->prefix);
	json_array_append_new(ips, json_string(cidr));
	if (memcmp(ifc->addr6, (uint8_t[16]){ 0 }, 16) && inet_ntop(AF_INET6, ifc->addr6, ip, sizeof(ip))) {
		snprintf(cidr, sizeof(cidr), "%s/%d", ip, net->prefix6);
		json_array_append_new(ips, json_string(cidr));
	}
	snprintf(macs, sizeof(macs), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	e = json_pack("{s:o, s:o, s:s, s:o, s:s}", "name", json_text(k->net[ifc->network]), "namespace",
		      json_text(k->ns), "interface", ifname, "ips", ips, "mac", macs);
	if (e && ifc->impair.rate)	/* bits per second, as the bandwidth plugin counts */
		json_object_set_new(e, "bandwidth", json_pack("{s:I, s:I}", "egressRate", (json_int_t)ifc->impair.rate * 8,
							      "egressBurst", (json_int_t)burst_of(ifc->impair.rate) * 8));
	return e;
}

int k8s_networks_annotation(struct k8s *k, size_t c, FILE *f)
{
	const struct container *ct = &k->p->containers[c];
	json_t *a = json_array();

	for (size_t i = 0; a && i < ct->n_ifaces; i++)
		if (json_array_append_new(a, network_element(k, &ct->ifaces[i])) < 0)
			return ce_error_set(k->err, ENOMEM, "export: memory");
	return json_write(f, a) < 0 ? ce_error_set(k->err, ENOMEM, "export: memory") : 0;
}

int k8s_namespace(struct k8s *k, FILE *f)
{
	struct yaml y = { f, false };

	yaml_head(&y, k, "v1", "Namespace", k->ns);
	return 0;
}
