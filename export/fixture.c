/* SPDX-License-Identifier: MIT */
/* fixture.c: binds (hostPath), tmpfs and shm_size (memory emptyDir), files (a ConfigMap), devices, sysctls, user and workdir in a Pod. */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/base64.h"
#include "util/escape.h"

#define FILES_SUFFIX "-files"	/* the ConfigMap of pod P's files is P-files */

/* The sysctls Kubernetes calls safe (the kubelet allows them without --allowed-unsafe-sysctls). */
static const char *const safe_sysctls[] = {
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
};

bool k8s_sysctl_safe(const char *key)
{
	for (size_t i = 0; i < sizeof(safe_sysctls) / sizeof(*safe_sysctls); i++)
		if (!strcmp(key, safe_sysctls[i]))
			return true;
	return false;
}

/* user = "uid[:gid]": runAsUser and runAsGroup; false for a name (Kubernetes looks none up). */
bool k8s_user_ids(const char *user, long long *uid, long long *gid)
{
	char *end;

	*gid = -1;
	if (!user || !*user || user[strspn(user, "0123456789:")])
		return false;
	*uid = strtoll(user, &end, 10);
	if (*end == ':')
		*gid = strtoll(end + 1, &end, 10);
	return *end == '\0';
}

int k8s_fixture_check(struct k8s *k, const struct container *c)
{
	const struct fixture *fx = &c->fx;
	long long uid, gid;

	if (fx->user && !k8s_user_ids(fx->user, &uid, &gid))
		return k8s_refuse(k, c->line, "user", "%s: Kubernetes takes a numeric uid[:gid], not a name", c->name);
	if (fx->n_files && strlen(k->pod[c - k->p->containers]) + sizeof(FILES_SUFFIX) > EXPORT_NAME_MAX)
		return k8s_refuse(k, c->line, "files", "%s: the name of its ConfigMap (name-files) is longer than 63 bytes", c->name);
	if (fx->n_binds)
		k8s_warn(k, c->line, "binds", "%s: a hostPath: the path on whichever node runs the pod (pin it, or make it on every node)",
			 c->name);
	for (size_t i = 0; i < fx->n_tmpfs; i++)
		if (fx->tmpfs[i].mode != TMPFS_MODE_DEFAULT)
			k8s_warn(k, c->line, "tmpfs", "%s: an emptyDir's mode is the kubelet's (mode= not exported)", c->name);
	if (fx->devices && fx->devices[0])
		k8s_warn(k, c->line, "devices", "%s: not exported (a device plugin or a privileged pod gives devices)", c->name);
	for (size_t i = 0; i < fx->n_sysctls; i++)
		if (!k8s_sysctl_safe(fx->sysctls[i].key))
			k8s_warn(k, c->line, "sysctls", "%s: %s is unsafe to the kubelet: it runs the pod only with --allowed-unsafe-sysctls",
				 c->name, fx->sysctls[i].key);
	return 0;
}

/* One file's data: text as it is, anything else (not UTF-8, a NUL) as base64 in binaryData. */
static void file_data(struct yaml *y, const struct file_spec *f, size_t i, bool binary)
{
	char key[32];

	snprintf(key, sizeof(key), "file%zu", i);
	if (binary != !escape_utf8_valid(f->content, f->len))
		return;
	if (!binary) {
		yaml_str(y, 2, key, f->content);
		return;
	}
	fprintf(y->f, "  %s: \"", key);
	base64_write(y->f, f->content, f->len);
	fputs("\"\n", y->f);
}

int k8s_configmap(struct k8s *k, size_t c, FILE *f)
{
	const struct fixture *fx = &k->p->containers[c].fx;
	struct yaml y = { f, false };
	char name[EXPORT_NAME_MAX + sizeof(FILES_SUFFIX)];
	size_t n_bin = 0;

	snprintf(name, sizeof(name), "%s" FILES_SUFFIX, k->pod[c]);
	yaml_head(&y, k, "v1", "ConfigMap", name);
	for (size_t i = 0; i < fx->n_files; i++)
		n_bin += !escape_utf8_valid(fx->files[i].content, fx->files[i].len);
	if (n_bin < fx->n_files)
		yaml_key(&y, 0, "data");
	for (size_t i = 0; i < fx->n_files; i++)
		file_data(&y, &fx->files[i], i, false);
	if (n_bin)
		yaml_key(&y, 0, "binaryData");
	for (size_t i = 0; i < fx->n_files; i++)
		file_data(&y, &fx->files[i], i, true);
	return 0;
}
