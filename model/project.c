/* SPDX-License-Identifier: MIT */
/* project.c: releasing a struct project and everything it owns. */
#include "model/project.h"

#include <stdlib.h>
#include <sys/socket.h>

#include "model/strv.h"

static void container_clear(struct container *c)
{
	free(c->rootfs);
	strv_free(c->command);
	strv_free(c->env);
	free(c->ifaces);
	strv_free(c->sec.cap_add);
	strv_free(c->sec.cap_drop);
	strv_free(c->ready);
	free(c->routes);
}

void project_free(struct project *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_containers; i++)
		container_clear(&p->containers[i]);
	free(p->containers);
	free(p->links);
	for (size_t i = 0; i < p->n_checks; i++) {
		strv_free(p->checks[i].argv);
		free(p->checks[i].output);
	}
	free(p->checks);
	free(p->networks);
	free(p->file);
	free(p);
}

static void move_addr(uint32_t *a, uint32_t from, uint32_t mask, uint32_t to)
{
	if (*a && (*a & mask) == from)
		*a = to | (*a & ~mask);
}

void project_network_move(struct project *p, size_t i, uint32_t subnet)
{
	struct network *n = &p->networks[i];
	uint32_t mask = n->prefix ? ~0u << (32 - n->prefix) : 0, from = n->subnet;

	move_addr(&n->gateway, from, mask, subnet);
	for (size_t k = 0; k < p->n_containers; k++) {
		struct container *c = &p->containers[k];

		for (size_t j = 0; j < c->n_ifaces; j++)
			if (c->ifaces[j].network == i)
				move_addr(&c->ifaces[j].addr, from, mask, subnet);
		for (size_t j = 0; j < c->n_routes; j++)
			if (c->routes[j].family == AF_INET)
				move_addr(&c->routes[j].via, from, mask, subnet);
	}
	n->subnet = subnet;
}
