/* SPDX-License-Identifier: MIT */
/* k8s.c: `export kubernetes`: the names, the checks, then each manifest in the order a cluster creates them. */
#include "export/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

/* Each of n names (stride apart, from `names`) as a Kubernetes name into out; two that meet are refused. */
static int map_names(struct k8s *k, const char *names, size_t stride, const int *lines, size_t n, const char *what,
		     char (*out)[EXPORT_NAME_MAX])
{
	const char *why;

	for (size_t i = 0; i < n; i++) {
		const char *name = names + i * stride;
		int line = *(const int *)((const char *)lines + i * stride);

		if (k8s_name(name, out[i], &why))
			return k8s_refuse(k, line, what, "%s: %s", name, why);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(out[i], out[j]))
				return k8s_refuse(k, line, what, "%s and %s are both %s in Kubernetes", names + j * stride,
						  name, out[i]);
	}
	return 0;
}

static int names(struct k8s *k)
{
	const struct project *p = k->p;
	const char *why;

	if (k8s_name(k->o->ns ? k->o->ns : p->name, k->ns, &why))
		return k8s_refuse(k, 1, k->o->ns ? "--namespace" : "name", "%s: %s (or give --namespace)",
				  k->o->ns ? k->o->ns : p->name, why);
	k->pod = calloc(p->n_containers + 1, sizeof(*k->pod));
	k->net = calloc(p->n_networks + 1, sizeof(*k->net));
	if (!k->pod || !k->net)
		return ce_error_set(k->err, ENOMEM, "export: memory");
	if (p->n_containers &&
	    map_names(k, p->containers[0].name, sizeof(*p->containers), &p->containers[0].line, p->n_containers,
		      "name", k->pod))
		return 1;
	if (p->n_networks &&
	    map_names(k, p->networks[0].name, sizeof(*p->networks), &p->networks[0].line, p->n_networks, "name", k->net))
		return 1;
	return 0;
}

/* One manifest: fn(k, index, f) into a new document of out. */
static int add_doc(struct k8s *k, struct export_docs *out, const char *kind, const char *name,
		   int (*fn)(struct k8s *, size_t, FILE *), size_t index)
{
	struct export_doc *v = realloc(out->v, (out->n + 1) * sizeof(*v)), *d;
	size_t len = 0;
	FILE *f;

	if (!v)
		return ce_error_set(k->err, ENOMEM, "export: memory");
	out->v = v;
	d = &v[out->n];
	*d = (struct export_doc){ .kind = kind };
	snprintf(d->name, sizeof(d->name), "%s", name);
	f = open_memstream(&d->text, &len);
	if (!f)
		return ce_error_set(k->err, errno, "export: memory");
	out->n++;
	if (fn(k, index, f) < 0) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : ce_error_set(k->err, errno, "export: %s %s", kind, name);
}

static int ns_doc(struct k8s *k, size_t i, FILE *f)
{
	(void)i;
	return k8s_namespace(k, f);
}

static int docs(struct k8s *k, struct export_docs *out)
{
	const struct project *p = k->p;

	if (add_doc(k, out, "Namespace", k->ns, ns_doc, 0) < 0)
		return -1;
	for (size_t i = 0; i < p->n_networks; i++)
		if (add_doc(k, out, "NetworkAttachmentDefinition", k->net[i], k8s_netattach, i) < 0)
			return -1;
	for (size_t i = 0; i < p->n_containers; i++)
		if (k8s_has_links(p, i) && add_doc(k, out, "Topology", k->pod[i], k8s_topology, i) < 0)
			return -1;
	for (size_t i = 0; i < p->n_containers; i++)
		if (p->containers[i].fx.n_files && add_doc(k, out, "ConfigMap", k->pod[i], k8s_configmap, i) < 0)
			return -1;
	for (size_t i = 0; i < p->n_containers; i++)
		if (add_doc(k, out, "Pod", k->pod[i], k8s_pod, i) < 0)
			return -1;
	return 0;
}

int export_kubernetes(const struct project *p, const struct export_k8s_opts *o, struct export_docs *out,
		      struct ce_error *err)
{
	struct k8s k = { .p = p, .o = o, .err = err };
	int rc = names(&k);

	*out = (struct export_docs){ 0 };
	if (rc == 0)
		rc = k8s_check(&k);
	if (rc == 0)
		rc = docs(&k, out);
	free(k.pod);
	free(k.net);
	if (rc != 0)
		export_docs_free(out);
	return rc;
}

void export_docs_free(struct export_docs *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	*d = (struct export_docs){ 0 };
}
