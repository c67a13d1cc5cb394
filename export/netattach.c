/* SPDX-License-Identifier: MIT */
/* netattach.c: a cengine network as a Multus NetworkAttachmentDefinition (bridge, static IPAM, tuning, bandwidth) and a pod's networks annotation. */
#include "export/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "util/cleanup.h"
#include "util/escape.h"

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
static void cni_config(const struct k8s *k, size_t n, FILE *f)
{
	const struct network *net = &k->p->networks[n];

	fputs("{\"cniVersion\":\"0.4.0\",\"name\":", f);
	escape_json(f, k->net[n]);
	fputs(",\"plugins\":[{\"type\":\"bridge\",\"bridge\":", f);
	escape_json(f, net->bridge);
	fprintf(f, ",\"isGateway\":%s", net->gateway ? "true" : "false");
	if (net->mtu)
		fprintf(f, ",\"mtu\":%d", net->mtu);
	fputs(",\"capabilities\":{\"ips\":true},\"ipam\":{\"type\":\"static\"}},"
	      "{\"type\":\"tuning\",\"capabilities\":{\"mac\":true}}", f);
	if (network_rate(k->p, n))
		fputs(",{\"type\":\"bandwidth\",\"capabilities\":{\"bandwidth\":true}}", f);
	fputs("]}", f);
}

int k8s_netattach(struct k8s *k, size_t n, FILE *f)
{
	struct yaml y = { f, false };
	_cleanup_free_ char *config = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&config, &len);

	if (!m)
		return ce_error_set(k->err, errno, "export: memory");
	cni_config(k, n, m);
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

static void network_element(const struct k8s *k, const struct iface *ifc, FILE *f)
{
	const struct network *net = &k->p->networks[ifc->network];
	char ip[INET6_ADDRSTRLEN], ifname[NET_IFNAME_MAX];
	uint8_t mac[6];

	k8s_ifname(ifc->ifname, ifname);
	net_mac_of(ifc->addr, mac);
	fputs("{\"name\":", f);
	escape_json(f, k->net[ifc->network]);
	fputs(",\"namespace\":", f);
	escape_json(f, k->ns);
	fprintf(f, ",\"interface\":\"%s\",\"ips\":[\"%s/%d\"", ifname, addr_format(ifc->addr, ip, sizeof(ip)),
		ifc->prefix);
	if (memcmp(ifc->addr6, (uint8_t[16]){ 0 }, 16) && inet_ntop(AF_INET6, ifc->addr6, ip, sizeof(ip)))
		fprintf(f, ",\"%s/%d\"", ip, net->prefix6);
	fprintf(f, "],\"mac\":\"%02x:%02x:%02x:%02x:%02x:%02x\"", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	if (ifc->impair.rate)	/* bits per second, as the bandwidth plugin counts */
		fprintf(f, ",\"bandwidth\":{\"egressRate\":%llu,\"egressBurst\":%llu}",
			(unsigned long long)ifc->impair.rate * 8, (unsigned long long)burst_of(ifc->impair.rate) * 8);
	fputc('}', f);
}

int k8s_networks_annotation(struct k8s *k, size_t c, FILE *f)
{
	const struct container *ct = &k->p->containers[c];

	fputc('[', f);
	for (size_t i = 0; i < ct->n_ifaces; i++) {
		if (i)
			fputc(',', f);
		network_element(k, &ct->ifaces[i], f);
	}
	fputc(']', f);
	return 0;
}

int k8s_namespace(struct k8s *k, FILE *f)
{
	struct yaml y = { f, false };

	yaml_head(&y, k, "v1", "Namespace", k->ns);
	return 0;
}
