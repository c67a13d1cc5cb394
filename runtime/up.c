/* SPDX-License-Identifier: MIT */
/* up.c: bring a project up: journal, bridges, cgroups, clone all, veths, release all, wait. */
#include "runtime/runtime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "net/net.h"
#include "parser/naming.h"
#include "runtime/launch.h"
#include "runtime/project_state.h"
#include "state/journal.h"
#include "util/addr.h"
#include "util/cleanup.h"

static int make_network(struct net_ctx *nl, struct journal *j, const struct network *n, struct ce_error *err)
{
	if (net_link_exists(nl, n->bridge))
		return ce_error_set(err, EEXIST, "network %s: bridge %s already exists and is not this project's",
				    n->name, n->bridge);
	if (net_subnet_check_free(nl, n->subnet, n->prefix, n->bridge, err) < 0)
		return ce_error_wrap(err, "network %s", n->name);
	if (journal_add(j, err, J_BRIDGE, "%s", n->bridge) < 0)
		return -1;
	if (net_bridge_create(nl, n->bridge, n->mtu, err) < 0)
		return ce_error_wrap(err, "network %s", n->name);
	if (n->gateway && net_addr_add(nl, n->bridge, n->gateway, n->prefix, err) < 0)
		return ce_error_wrap(err, "network %s: gateway", n->name);
	return 0;
}

static int make_veths(const struct project *p, struct net_ctx *nl, struct journal *j, struct launch *l,
		      struct ce_error *err)
{
	for (size_t i = 0; i < l->c->n_ifaces; i++) {
		const struct iface *f = &l->c->ifaces[i];
		const struct network *n = &p->networks[f->network];
		char ip[16];

		if (journal_add(j, err, J_VETH, "%s", f->host_ifname) < 0)
			return -1;
		if (net_veth_create(nl, f->host_ifname, n->bridge, l->netns_fd, f->ifname, n->mtu, err) < 0)
			return ce_error_wrap(err, "container %s", l->c->name);
		if (journal_add(j, err, J_ADDR, "%s %s %s/%d", l->c->name, f->ifname,
				addr_format(f->addr, ip, sizeof(ip)), f->prefix) < 0)
			return -1;
	}
	return 0;
}

/* Clone every container (each blocked), wire them, then release them all. */
static int start_containers(const struct project *p, const struct up_opts *o, const struct cgroup_ops *cg,
			    struct net_ctx *nl, struct journal *j, struct launch *ls, struct ce_error *err)
{
	size_t n = p->n_containers;

	for (size_t i = 0; i < n; i++)
		if (launch_clone(p, cg, j, &ls[i], ls, n, o->interactive, err) < 0)
			return -1;
	for (size_t i = 0; i < n; i++)
		if (make_veths(p, nl, j, &ls[i], err) < 0)
			return -1;
	for (size_t i = 0; i < n; i++)
		if (launch_release(&ls[i], err) < 0)
			return -1;
	for (size_t i = 0; i < n; i++)
		if (launch_wait_ready(&ls[i], err) < 0)
			return -1;
	return 0;
}

static int build(const struct project *p, const struct up_opts *o, struct journal *j, struct launch *ls,
		 struct ce_error *err)
{
	const struct cgroup_ops *cg = cgroup_detect(err);
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	char parent[256];

	if (!cg || net_open(&nl, err) < 0)
		return -1;
	net_set_group(nl, naming_group(p->name));
	for (size_t i = 0; i < p->n_networks; i++)
		if (make_network(nl, j, &p->networks[i], err) < 0)
			return -1;
	naming_cgroup(p->name, NULL, parent, sizeof(parent));
	if (journal_add(j, err, J_CGROUP, "%s", parent) < 0 || cg->create(parent, err) < 0)
		return -1;
	return start_containers(p, o, cg, nl, j, ls, err);
}

static int check_not_up(const struct project *p, struct ce_error *err)
{
	size_t running, total;

	if (!journal_exists(p->name))
		return 0;
	project_state_count(p->name, &running, &total);
	if (total && running == total && running == p->n_containers)
		return 1;
	return ce_error_set(err, EEXIST, "project %s is partly up (%zu of %zu containers running); "
			    "run `cengine down %s` first", p->name, running, total, p->file ? p->file : p->name);
}

int runtime_up(const struct project *p, const struct up_opts *o, pid_t *init_pid, struct ce_error *err)
{
	_cleanup_free_ struct launch *ls = calloc(p->n_containers, sizeof(*ls));
	struct journal j = { .fd = -1 };
	int lock, rc;

	if (!ls)
		return ce_error_set(err, ENOMEM, "up");
	for (size_t i = 0; i < p->n_containers; i++)
		ls[i] = (struct launch){ .c = &p->containers[i], .sync_w = -1, .status_r = -1, .netns_fd = -1 };
	lock = journal_lock(p->name, false, err);
	if (lock < 0)
		return -1;
	rc = check_not_up(p, err);
	if (rc == 1 && !o->interactive) {
		if (!o->quiet)
			printf("project %s is already up; nothing changed\n", p->name);
		close(lock);
		return 0;
	}
	if (rc != 0 || journal_create(p->name, &j, err) < 0) {
		close(lock);
		return -1;
	}
	rc = build(p, o, &j, ls, err);
	for (size_t i = 0; i < p->n_containers; i++)
		launch_close(&ls[i]);
	journal_close(&j);
	if (rc < 0)
		runtime_teardown(p->name, 0, NULL);	/* undo what was made; err keeps the cause */
	else if (init_pid)
		*init_pid = ls[0].pid;
	close(lock);
	return rc;
}
