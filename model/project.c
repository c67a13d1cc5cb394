/* SPDX-License-Identifier: MIT */
/* project.c: releasing a struct project and everything it owns. */
#include "model/project.h"

#include <stdlib.h>

#include "model/strv.h"

static void container_clear(struct container *c)
{
	free(c->rootfs);
	free(c->image);
	strv_free(c->command);
	strv_free(c->env);
	free(c->ifaces);
	strv_free(c->sec.cap_add);
	strv_free(c->sec.cap_drop);
	strv_free(c->ready);
	free(c->routes);
	strv_free(c->svc.dns);
	strv_free(c->svc.dns_search);
	strv_free(c->svc.extra_hosts);
	free(c->svc.ulimits);
	strv_free(c->svc.depends_on);
	free(c->svc.depends);
	fixture_clear(&c->fx);
}

void project_free(struct project *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_containers; i++)
		container_clear(&p->containers[i]);
	free(p->containers);
	free(p->links);
	free(p->networks);
	free(p->file);
	free(p);
}
