/* SPDX-License-Identifier: MIT */
/* cgroup/devices_v1.c: the device allow-list on cgroup v1: devices.deny "a", then one devices.allow write per rule (one open). */
#include "cgroup/internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "util/cleanup.h"

/* A number, or "*" for DEVICE_ANY. */
static void number(int32_t v, char *buf, size_t n)
{
	if (v == DEVICE_ANY)
		snprintf(buf, n, "*");
	else
		snprintf(buf, n, "%d", (int)v);
}

int cgroup_device_rule_format(const struct device_rule *r, char *buf, size_t n)
{
	char major[16], minor[16], access[4];
	size_t k = 0;
	int len;

	if (!devices_rule_valid(r))
		return -1;
	number(r->major, major, sizeof(major));
	number(r->minor, minor, sizeof(minor));
	if (r->access & DEVICE_READ)
		access[k++] = 'r';
	if (r->access & DEVICE_WRITE)
		access[k++] = 'w';
	if (r->access & DEVICE_MKNOD)
		access[k++] = 'm';
	access[k] = '\0';
	len = snprintf(buf, n, "%c %s:%s %s", r->type, major, minor, access);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

int cgroup_v1_devices(const char *rel, const struct device_rule *rules, size_t n, struct ce_error *err)
{
	_cleanup_close_ int dfd = -1;
	char dir[PATH_MAX], lines[DEVICES_MAX][64];
	const char *v[DEVICES_MAX];

	if (cg_check_rel(rel, err) < 0)
		return -1;
	if (cgroup_v1_dir("devices", rel, dir, sizeof(dir), err) < 0)
		return ce_error_wrap(err, "device allow-list");
	dfd = cg_open_dir(dir, err);
	/* "a" first: the group inherited its parent's list; from here on only what is allowed below */
	if (dfd < 0 || cg_write_at(dfd, dir, "devices.deny", "a", err) < 0)
		return -1;
	if (n > DEVICES_MAX)
		return ce_error_set(err, E2BIG, "more than %d device rules", DEVICES_MAX);
	for (size_t i = 0; i < n; i++) {
		if (cgroup_device_rule_format(&rules[i], lines[i], sizeof(lines[i])) < 0)
			return ce_error_set(err, EINVAL, "device rule %zu of %s is not valid", i + 1, rel);
		v[i] = lines[i];
	}
	return n ? cg_write_each_at(dfd, dir, "devices.allow", v, n, err) : 0;
}
