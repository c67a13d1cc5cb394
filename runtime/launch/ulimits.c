/* SPDX-License-Identifier: MIT */
/* ulimits.c: prlimit(2) of a container's ulimits on its pid 1, from the host. */
#include "runtime/launch/ulimits.h"

#include <errno.h>
#include <sys/resource.h>

int launch_ulimits(pid_t pid, const struct container *c, struct ce_error *err)
{
	for (size_t i = 0; i < c->svc.n_ulimits; i++) {
		const struct ulimit *u = &c->svc.ulimits[i];
		struct rlimit r = { .rlim_cur = u->soft, .rlim_max = u->hard }, now = { 0 };
		enum __rlimit_resource res = (enum __rlimit_resource)u->resource;

		if (prlimit(pid, res, &r, NULL) == 0)
			continue;
		if (errno == EPERM && prlimit(pid, res, NULL, &now) == 0 && u->hard > now.rlim_max)
			return ce_error_set(err, EPERM, "container %s: ulimits.[%zu]: the hard limit is %llu here; "
					    "raising it needs CAP_SYS_RESOURCE, which cengine lacks", c->name, i,
					    (unsigned long long)now.rlim_max);
		return ce_error_set(err, errno, "container %s: ulimits.[%zu]: prlimit", c->name, i);
	}
	return 0;
}
