/* SPDX-License-Identifier: MIT */
/* container.c: the Pod's one container: image, command, env, capabilities and seccomp, cpu and memory limits, readiness probe. */
#include "export/internal.h"

#include <math.h>
#include <string.h>

#include "model/imageref.h"

/* The image as a cluster pulls it: HOST/REPO[:TAG][@DIGEST] (check refused the file transports). */
static void image_name(const char *image, char *out, size_t len)
{
	struct image_ref r;
	char why[128];

	if (imageref_parse(image, &r, why, sizeof(why)) < 0 || r.transport != IMAGE_REGISTRY) {
		snprintf(out, len, "%s", image);
		return;
	}
	snprintf(out, len, "%s/%s%s%s%s%s", r.host, r.repo, r.tag[0] ? ":" : "", r.tag, r.digest[0] ? "@" : "",
		 r.digest);
}

static void container_env(const struct container *ct, struct yaml *y)
{
	if (!ct->env || !ct->env[0])
		return;
	yaml_key(y, 4, "env");
	for (size_t i = 0; ct->env[i]; i++) {
		const char *eq = strchr(ct->env[i], '=');
		char name[256];

		snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - ct->env[i] : (long)strlen(ct->env[i])), ct->env[i]);
		yaml_item(y);
		yaml_str(y, 6, "name", name);
		yaml_str(y, 6, "value", eq ? eq + 1 : "");
	}
}

/* Capability names as Kubernetes writes them: without "CAP_". */
static void caps(struct yaml *y, const char *key, char *const *v)
{
	if (!v || !v[0])
		return;
	yaml_key(y, 8, key);
	for (size_t i = 0; v[i]; i++)
		yaml_list_str(y, 8, v[i] + (strncmp(v[i], "CAP_", 4) ? 0 : 4));
}

static void container_security(const struct container *ct, struct yaml *y)
{
	long long uid, gid;

	yaml_key(y, 4, "securityContext");
	if (k8s_user_ids(ct->fx.user, &uid, &gid)) {
		yaml_int(y, 6, "runAsUser", uid);
		if (gid >= 0)
			yaml_int(y, 6, "runAsGroup", gid);
	}
	if ((ct->sec.cap_add && ct->sec.cap_add[0]) || (ct->sec.cap_drop && ct->sec.cap_drop[0])) {
		yaml_key(y, 6, "capabilities");
		caps(y, "add", ct->sec.cap_add);
		caps(y, "drop", ct->sec.cap_drop);
	}
	yaml_key(y, 6, "seccompProfile");
	yaml_str(y, 8, "type", ct->sec.seccomp == 0 ? "Unconfined" : "RuntimeDefault");
}

static void container_limits(const struct container *ct, struct yaml *y)
{
	char v[32];

	if (!(ct->limits.cpu > 0) && !ct->limits.memory)
		return;
	yaml_key(y, 4, "resources");
	yaml_key(y, 6, "limits");
	if (ct->limits.cpu > 0) {
		snprintf(v, sizeof(v), "%lldm", (long long)ceil(ct->limits.cpu * 1000 - 1e-6));
		yaml_str(y, 8, "cpu", v);
	}
	if (ct->limits.memory) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)ct->limits.memory);
		yaml_str(y, 8, "memory", v);
	}
}

/* ready: run every second, ready_timeout seconds of failures allowed (as up waits that long). */
static void container_ready(const struct container *ct, struct yaml *y)
{
	double t = ct->ready_timeout > 0 ? ct->ready_timeout : READY_TIMEOUT_DEFAULT;

	if (!ct->ready)
		return;
	yaml_key(y, 4, "readinessProbe");
	yaml_key(y, 6, "exec");
	yaml_strv(y, 8, "command", ct->ready);
	yaml_int(y, 6, "periodSeconds", 1);
	yaml_int(y, 6, "failureThreshold", (long long)ceil(t));
}

void k8s_container(struct k8s *k, size_t c, struct yaml *y)
{
	const struct container *ct = &k->p->containers[c];
	char image[1024];	/* host, repo, tag and digest */

	image_name(ct->image ? ct->image : "", image, sizeof(image));
	yaml_item(y);
	yaml_str(y, 4, "name", k->pod[c]);
	yaml_str(y, 4, "image", image);
	yaml_strv(y, 4, "command", ct->command);
	if (ct->fx.workdir)
		yaml_str(y, 4, "workingDir", ct->fx.workdir);
	container_env(ct, y);
	container_security(ct, y);
	container_limits(ct, y);
	container_ready(ct, y);
	k8s_volume_mounts(k, c, y);
}
