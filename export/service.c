/* SPDX-License-Identifier: MIT */
/* service.c: dns, dns_search, extra_hosts and stop_timeout in a Pod; ulimits, stop_signal, depends_on and link MACs checked. */
#include "export/internal.h"

#include <string.h>

int k8s_service_check(struct k8s *k, const struct container *c)
{
	const struct service_opts *s = &c->svc;

	if (s->n_ulimits)
		k8s_warn(k, c->line, "ulimits", "%s: Kubernetes has no per-pod ulimits (the container runtime's defaults)", c->name);
	if (s->stop_signal)
		k8s_warn(k, c->line, "stop_signal", "%s: not exported (the kubelet sends the image's STOPSIGNAL)", c->name);
	if (s->n_depends)
		k8s_warn(k, c->line, "depends_on",
			 "%s: pods start in any order: its command must wait for its peers (their readiness probes say when)", c->name);
	if (s->dns_search && s->dns_search[0] && !(s->dns && s->dns[0]))
		k8s_warn(k, c->line, "dns_search", "%s: added to the cluster's search domains (dnsConfig), not in their place",
			 c->name);
	return 0;
}

/* dns: the pod's resolver is the file's (dnsPolicy None); dns_search alone adds to the cluster's. */
void k8s_dns(struct k8s *k, size_t c, struct yaml *y)
{
	const struct service_opts *s = &k->p->containers[c].svc;
	bool ns = s->dns && s->dns[0], search = s->dns_search && s->dns_search[0];

	if (!ns && !search)
		return;
	if (ns)
		yaml_str(y, 2, "dnsPolicy", "None");
	yaml_key(y, 2, "dnsConfig");
	yaml_strv(y, 4, "nameservers", s->dns);
	yaml_strv(y, 4, "searches", s->dns_search);
}

/* extra_hosts ("ADDRESS\tNAME"): more hostAliases, after the generated ones. */
void k8s_extra_hosts(struct k8s *k, size_t c, struct yaml *y)
{
	char *const *h = k->p->containers[c].svc.extra_hosts;

	for (size_t i = 0; h && h[i]; i++) {
		size_t n = strcspn(h[i], "\t ");
		char ip[64];

		snprintf(ip, sizeof(ip), "%.*s", (int)n, h[i]);
		yaml_item(y);
		yaml_str(y, 4, "ip", ip);
		yaml_key(y, 4, "hostnames");
		yaml_list_str(y, 4, h[i] + n + strspn(h[i] + n, "\t "));
	}
}

/* stop_timeout: the pod's grace period (whole seconds, rounded up). */
void k8s_stop_timeout(struct k8s *k, size_t c, struct yaml *y)
{
	int ms = k->p->containers[c].svc.stop_timeout_ms;

	if (ms >= 0)
		yaml_int(y, 2, "terminationGracePeriodSeconds", (ms + 999) / 1000);
}
