/* SPDX-License-Identifier: MIT */
/* internal.h: what the exporter's files share: the export's context, Kubernetes names and the YAML writer. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "export/export.h"
#include "net/net.h"

/* The export of one project: the names every manifest uses. */
struct k8s {
	const struct project *p;
	const struct export_k8s_opts *o;
	char ns[EXPORT_NAME_MAX];
	char (*pod)[EXPORT_NAME_MAX];	/* per container: its Pod's name */
	char (*net)[EXPORT_NAME_MAX];	/* per network: its NetworkAttachmentDefinition's name */
	struct ce_error *err;
	struct { int line; const char *setting; } warned[64];	/* said once per line and setting (count's copies share both) */
	size_t n_warned;
};

/* ---- names.c ---- */
/* name as a Kubernetes name (a DNS-1123 label: lowercase, '_' as '-'): 0, or 1 with why. */
int k8s_name(const char *name, char out[EXPORT_NAME_MAX], const char **why);
/* The pod's interface for cengine's ethN: netN (the pod's eth0 is the cluster's network); another name stays. */
void k8s_ifname(const char *ethn, char out[NET_IFNAME_MAX]);
/* "FILE:LINE: setting: why" into k->err: 1 (bad input). */
int k8s_refuse(struct k8s *k, int line, const char *setting, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "FILE:LINE: setting: warning: why" on o->warn. */
void k8s_warn(struct k8s *k, int line, const char *setting, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- yaml.c: block YAML, every string double-quoted through escape_yaml ---- */
struct yaml {
	FILE *f;
	bool item;	/* the next key starts a list item ("- ") */
};
/* The next key (at indent ind) is the first of a new list item. */
void yaml_item(struct yaml *y);
/* "key:" and a new line: a mapping or a list follows at a deeper indent. */
void yaml_key(struct yaml *y, int ind, const char *key);
void yaml_str(struct yaml *y, int ind, const char *key, const char *val);
void yaml_int(struct yaml *y, int ind, const char *key, long long val);
void yaml_bool(struct yaml *y, int ind, const char *key, bool val);
/* key and a list of the strings of v (NULL-terminated); nothing for an empty v. */
void yaml_strv(struct yaml *y, int ind, const char *key, char *const *v);
/* "- val" at indent ind. */
void yaml_list_str(struct yaml *y, int ind, const char *val);
/* apiVersion, kind and metadata (name, namespace, cengine's labels); annotations follow at indent 2. */
void yaml_head(struct yaml *y, const struct k8s *k, const char *api, const char *kind, const char *name);

/* ---- netattach.c, topology.c, pod.c, netinit.c: one manifest each into f ---- */
int k8s_namespace(struct k8s *k, FILE *f);
int k8s_netattach(struct k8s *k, size_t network, FILE *f);
/* The pod's k8s.v1.cni.cncf.io/networks annotation (JSON) for container c. */
int k8s_networks_annotation(struct k8s *k, size_t c, FILE *f);
bool k8s_has_links(const struct project *p, size_t c);
int k8s_topology(struct k8s *k, size_t c, FILE *f);
int k8s_pod(struct k8s *k, size_t c, FILE *f);
/* The pod's one container (a list item of spec.containers). */
void k8s_container(struct k8s *k, size_t c, struct yaml *y);
/* The init container's script for container c's impairments, link rates and routes into *script
 * (NULL: nothing to apply). */
int k8s_netinit(struct k8s *k, size_t c, char **script);
/* ---- fixture.c, volumes.c: binds, tmpfs, files, devices, sysctls, user, workdir, shm_size ---- */
bool k8s_sysctl_safe(const char *key);
bool k8s_user_ids(const char *user, long long *uid, long long *gid);
int k8s_fixture_check(struct k8s *k, const struct container *c);
/* The ConfigMap "<pod>-files" of container c's files (data, binaryData for what is not text). */
int k8s_configmap(struct k8s *k, size_t c, FILE *f);
void k8s_volumes(struct k8s *k, size_t c, struct yaml *y);
void k8s_volume_mounts(struct k8s *k, size_t c, struct yaml *y);

/* ---- service.c: dns, dns_search, extra_hosts, stop_timeout; ulimits, stop_signal, depends_on warned ---- */
int k8s_service_check(struct k8s *k, const struct container *c);
void k8s_dns(struct k8s *k, size_t c, struct yaml *y);
void k8s_extra_hosts(struct k8s *k, size_t c, struct yaml *y);
void k8s_stop_timeout(struct k8s *k, size_t c, struct yaml *y);

/* The refusals and warnings of every setting: 0, 1 (refused, k->err) or -1. */
int k8s_check(struct k8s *k);
