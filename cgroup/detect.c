/* SPDX-License-Identifier: MIT */
/* cgroup/detect.c: where the hierarchies live and which backend fits them. */
#include "cgroup/internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

const char *cgroup_root(void)
{
	const char *root = getenv("CENGINE_CGROUP_ROOT");

	return root && *root ? root : "/sys/fs/cgroup";
}

static const struct cgroup_ops *forced(const char *name, struct ce_error *err)
{
	if (!strcmp(name, "v1"))
		return &cgroup_v1_ops;
	if (!strcmp(name, "v2"))
		return &cgroup_v2_ops;
	ce_error_set(err, EINVAL, "CENGINE_CGROUP=%s: expected v1 or v2", name);
	return NULL;
}

const struct cgroup_ops *cgroup_detect(struct ce_error *err)
{
	const char *force = getenv("CENGINE_CGROUP");
	const char *root = cgroup_root();
	struct statfs sfs;

	if (force && *force)
		return forced(force, err);
	if (statfs(root, &sfs) < 0) {
		ce_error_set(err, errno, "statfs %s", root);
		return NULL;
	}
	if (sfs.f_type == CGROUP2_SUPER_MAGIC)
		return &cgroup_v2_ops;
	/* Legacy, or hybrid (tmpfs with v1 controllers plus an unused unified/). */
	if (cgroup_v1_available())
		return &cgroup_v1_ops;
	ce_error_set(err, ENOENT, "no usable cgroup hierarchy under %s "
		     "(neither cgroup2 nor v1 controllers; set CENGINE_CGROUP_ROOT)", root);
	return NULL;
}

const char *cgroup_layout(void)
{
	struct ce_error err = { 0 };
	const struct cgroup_ops *ops = cgroup_detect(&err);
	char unified[PATH_MAX];
	struct statfs sfs;

	if (!ops)
		return "none";
	if (ops == &cgroup_v2_ops)
		return cgroup_systemd_delegated() ? "cgroup v2 under systemd (a delegated scope per project)" : "cgroup v2";
	snprintf(unified, sizeof(unified), "%s/unified", cgroup_root());
	return statfs(unified, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC ? "cgroup v1 (hybrid)" : "cgroup v1";
}
