/* SPDX-License-Identifier: MIT */
/* up.c: bring a project up: journal, bridges, cgroups, clone all, veths, release all, wait. */
#include "runtime/verbs/verbs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "model/caps.h"
#include "model/naming.h"
#include "net/net.h"
#include "plan/netplan.h"
#include "runtime/inside/dnsfiles.h"
#include "runtime/launch/launch.h"
#include "runtime/launch/logkeeper.h"
#include "runtime/present/progress.h"
#include "runtime/verbs/firewall.h"
#include "state/journal.h"
#include "state/project_state.h"
#include "util/addr.h"
#include "util/cleanup.h"
#include "util/timing.h"

#define LOGS_MADE_MS 10000	/* the keeper's answer, once it has made (opened) every log */

/* "a.b.c.d/p" of a network, for the journal's `net` line (ps shows it). */
static const char *subnet_text(const struct network *n, char *buf, size_t len)
{
	char a[16];

	snprintf(buf, len, "%s/%d", addr_format(n->subnet, a, sizeof(a)), n->prefix);
	return buf;
}

/* The project's mark on an object it makes ("cengine:<project>:<role>", role the journal's word for it). */
static const char *mark_of(const struct project *p, enum journal_kind kind, char *buf, size_t len)
{
	naming_mark(p->name, journal_kind_name(kind), buf, len);
	return buf;
}

/* A bridge: journalled before it is made; its ifindex once it is made and marked. */
static int make_network(const struct project *p, struct net_ctx *nl, struct journal *j, const struct network *n,
			struct ce_error *err)
{
	char net[24], gw[16], alias[NAMING_MARK_MAX], net6[48];
	int ifindex;

	if (net_subnet_check_free(nl, n->subnet, n->prefix, n->bridge, err) < 0 ||
	    (n->prefix6 && net_subnet6_check_free(nl, n->subnet6, n->prefix6, n->bridge, err) < 0))
		return ce_error_wrap(err, "network %s", n->name);
	if (journal_add(j, err, J_NET, "%s %s %s %s", n->name, n->bridge, subnet_text(n, net, sizeof(net)),
			n->gateway ? addr_format(n->gateway, gw, sizeof(gw)) : "-") < 0)
		return -1;
	if (n->prefix6 && journal_add(j, err, J_NET6, "%s %s/%d", n->name, inet_ntop(AF_INET6, n->subnet6, net6, sizeof(net6)),
					n->prefix6) < 0)
		return -1;
	if (journal_add(j, err, J_BRIDGE, "%s", n->bridge) < 0)
		return -1;
	ifindex = net_bridge_create(nl, n->bridge, mark_of(p, J_BRIDGE, alias, sizeof(alias)), n->mtu,
				    n->prefix6 != 0, n->gateway, err);
	if (ifindex < 0)
		return ce_error_wrap(err, "network %s", n->name);
	if (journal_add(j, err, J_IFINDEX, "%s %d", n->bridge, ifindex) < 0)
		return -1;
	if (n->gateway && net_addr_add(nl, n->bridge, n->gateway, n->prefix, err) < 0)
		return ce_error_wrap(err, "network %s: gateway", n->name);
	if (n->prefix6 && memcmp(n->gateway6, (uint8_t[16]){ 0 }, 16) &&
	    net_addr6_add(nl, n->bridge, n->gateway6, n->prefix6, err) < 0)
		return ce_error_wrap(err, "network %s: gateway6", n->name);
	return 0;
}

/* Each host chain that gets allow rules (net_hostfw_print adds them to the batch), journalled first. */
static int journal_host_chains(const struct project *p, const struct net_hostfw *host, struct journal *j,
			       struct ce_error *err)
{
	for (size_t i = 0; i < host->n_chains; i++) {
		const struct net_hostfw_chain *c = &host->chains[i];

		if (journal_add(j, err, J_HOSTFW, "%s %s %s %s", p->name, c->family, c->table, c->chain) < 0)
			return -1;
	}
	return 0;
}

/* The project's nftables tables (source filtering on its bridge ports, its
 * forwarding policy, and with nat its masquerading) in one batch, run by a child
 * while up makes bridges, cgroups and containers; filter_done() waits for it. */
static int make_filter(const struct project *p, const struct net_hostfw *host, struct journal *j,
		       struct net_pending *tables, struct ce_error *err)
{
	_cleanup_(plan_project_filter_free) struct net_filter f = { 0 };
	struct net_nat nats[p->n_networks ? p->n_networks : 1];
	char filter_mark[NAMING_MARK_MAX], nat_mark[NAMING_MARK_MAX], host_mark[NAMING_MARK_MAX];
	struct net_marks marks = { mark_of(p, J_FILTER, filter_mark, sizeof(filter_mark)),
				   mark_of(p, J_NAT, nat_mark, sizeof(nat_mark)),
				   mark_of(p, J_HOSTFW, host_mark, sizeof(host_mark)) };
	size_t k = 0;

	if (!p->n_networks)
		return 0;
	for (size_t i = 0; i < p->n_networks; i++)
		if (p->networks[i].nat)
			nats[k++] = (struct net_nat){ p->networks[i].subnet, p->networks[i].prefix, p->networks[i].bridge };
	if (net_filter_available(err) < 0)	/* else down could not undo the filter entry either */
		return -1;
	if (plan_project_filter(p, &f, err) < 0 || journal_add(j, err, J_FILTER, "%s", p->name) < 0)
		return -1;
	if (k && journal_add(j, err, J_NAT, "%s", p->name) < 0)
		return -1;
	if (firewall_network(p, true)) {	/* else nothing goes into the host's chains */
		if (journal_host_chains(p, host, j, err) < 0)
			return -1;
		f.host = host;
		if (net_hostfw_legacy_add(&f, marks.hostfw, err) < 0)
			return ce_error_wrap(err, "project %s", p->name);
	}
	if (net_filter_start(p->name, &marks, &f, nats, k, tables, err) < 0)
		return ce_error_wrap(err, "project %s", p->name);
	return 0;
}

/* Before any container is released: the tables are in; then, with nat, host
 * forwarding (saved, restored by the last down). */
static int filter_done(const struct project *p, struct journal *j, struct net_pending *tables, struct ce_error *err)
{
	bool nat = false;

	if (net_pending_wait(tables, err) < 0)
		return ce_error_wrap(err, "project %s", p->name);
	for (size_t i = 0; i < p->n_networks; i++)
		nat = nat || p->networks[i].nat;
	if (!nat)
		return 0;
	if (journal_add(j, err, J_FORWARD, "%s", p->name) < 0)
		return -1;
	return net_host_forward_acquire(journal_root(), err);
}

/* A link end's IPv4 address, for ps (a links-only router has no other). */
static int journal_link_addr(const struct project *p, struct journal *j, const struct link_end *e, struct ce_error *err)
{
	char a[16];

	if (!e->addr)
		return 0;
	return journal_add(j, err, J_ADDR, "%s %s %s/%d", p->containers[e->container].name, e->ifname,
			   addr_format(e->addr, a, sizeof(a)), e->prefix);
}

/* A link end's MAC: the file's (a_mac/b_mac), else net_mac_of(its address) (the far end's permanent
 * neighbour entry names it: plan/netplan.c), else NULL (the kernel's, for an end without an address). */
static const uint8_t *end_mac(const struct link_end *e, uint8_t buf[6])
{
	if (e->has_mac)
		return e->mac;
	if (!e->addr)
		return NULL;
	net_mac_of(e->addr, buf);
	return buf;
}

/* Point-to-point links: both ends made directly in the two containers' netns. */
static int make_links(const struct project *p, struct net_ctx *nl, struct journal *j, struct launch *ls,
		      struct ce_error *err)
{
	for (size_t i = 0; i < p->n_links; i++) {
		const struct link_end *a = &p->links[i].end[0], *b = &p->links[i].end[1];
		uint8_t mac_a[6], mac_b[6];
		const struct net_p2p_end ea = { ls[a->container].netns_fd, a->ifname, end_mac(a, mac_a) };
		const struct net_p2p_end eb = { ls[b->container].netns_fd, b->ifname, end_mac(b, mac_b) };

		if (journal_add(j, err, J_LINK, "%s %s %s %s", p->containers[a->container].name, a->ifname,
				p->containers[b->container].name, b->ifname) < 0 ||
		    journal_link_addr(p, j, a, err) < 0 || journal_link_addr(p, j, b, err) < 0)
			return -1;
		if (net_p2p_create_ends(nl, &ea, &eb, p->links[i].mtu, err) < 0)
			return ce_error_wrap(err, "link %s-%s", p->containers[a->container].name,
					     p->containers[b->container].name);
	}
	return 0;
}

static int make_veths(const struct project *p, struct net_ctx *nl, struct journal *j, struct launch *l,
		      struct ce_error *err)
{
	char ip[16], alias[NAMING_MARK_MAX];

	mark_of(p, J_VETH, alias, sizeof(alias));
	for (size_t i = 0; i < l->c->n_ifaces; i++) {
		const struct iface *f = &l->c->ifaces[i];
		const struct network *n = &p->networks[f->network];
		struct net_veth v = { .host_name = f->host_ifname, .alias = alias, .bridge = n->bridge,
				      .netns_fd = l->netns_fd, .peer_name = f->ifname, .mtu = n->mtu,
				      .peer_addr = f->addr };
		int ifindex;

		if (journal_add(j, err, J_VETH, "%s", f->host_ifname) < 0)
			return -1;
		ifindex = net_veth_create(nl, &v, err);
		/* the host end is only a bridge port: no IPv6 of its own, before the peer gives it carrier;
		 * no MAC learning from it (its container's MAC has a sticky entry) unless it may spoof */
		if (ifindex < 0 || net_port_prepare(nl, f->host_ifname, l->c->sec.spoofing, err) < 0)
			return ce_error_wrap(err, "container %s", l->c->name);
		if (journal_add(j, err, J_IFINDEX, "%s %d", f->host_ifname, ifindex) < 0 ||
		    journal_add(j, err, J_ADDR, "%s %s %s/%d", l->c->name, f->ifname,
				addr_format(f->addr, ip, sizeof(ip)), f->prefix) < 0)
			return -1;
	}
	return 0;
}

static size_t count_ifaces(const struct project *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_containers; i++)
		n += p->containers[i].n_ifaces;
	return n;
}

/* Bridge and host know every container's MAC (derived from its address) without asking. */
static int announce_ports(const struct project *p, struct net_ctx *nl, struct ce_error *err)
{
	_cleanup_free_ struct net_port *ports = calloc(count_ifaces(p) + 1, sizeof(*ports));
	size_t k = 0;

	if (!ports)
		return ce_error_set(err, ENOMEM, "bridge ports");
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces; j++) {
			const struct iface *f = &p->containers[i].ifaces[j];
			const struct network *w = &p->networks[f->network];

			if (!f->addr)
				continue;
			ports[k] = (struct net_port){ .bridge = w->bridge, .port = f->host_ifname, .addr = f->addr,
						      .gateway = w->gateway != 0 };
			ports[k].gateway6 = memcmp(w->gateway6, (uint8_t[16]){ 0 }, 16) &&
					    memcmp(f->addr6, (uint8_t[16]){ 0 }, 16);
			memcpy(ports[k++].addr6, f->addr6, 16);
		}
	return net_ports_known(nl, ports, k, err);
}

/* The container's ends are up: the host ends forward now, not when linkwatch gets to them. */
static int settle_veths(struct net_ctx *nl, const struct launch *l, struct ce_error *err)
{
	for (size_t i = 0; i < l->c->n_ifaces; i++)
		if (net_veth_settle(nl, l->c->ifaces[i].host_ifname, err) < 0)
			return ce_error_wrap(err, "container %s", l->c->name);
	return 0;
}

/* Every link's ends forward now (net_links_settle), each container's ends after its network
 * interfaces in its description. */
static int settle_links(const struct project *p, const struct launch *ls, struct ce_error *err)
{
	_cleanup_free_ struct net_link_ends *c = calloc(p->n_containers + 1, sizeof(*c));
	_cleanup_free_ const char **names = calloc(2 * p->n_links + 1, sizeof(*names));
	size_t k = 0;

	if (!p->n_links)
		return 0;
	if (!c || !names)
		return ce_error_set(err, ENOMEM, "link ends");
	for (size_t i = 0; i < p->n_containers; i++) {
		c[i] = (struct net_link_ends){ .netns_fd = ls[i].netns_fd, .names = &names[k] };
		for (size_t f = ls[i].c->n_ifaces; f < ls[i].net.n_ifaces; f++)
			names[k++] = ls[i].net.ifaces[f].name;
		c[i].n = (size_t)(&names[k] - c[i].names);
	}
	return net_links_settle(c, p->n_containers, err);
}

/* Does a container take the default id range (a user namespace without its own uid, gid or count)? */
static bool needs_default_range(const struct project *p)
{
	for (size_t i = 0; i < p->n_containers; i++) {
		const struct security *sec = &p->containers[i].sec;

		if (sec->userns != 0 && (!sec->uid_base || !sec->gid_base || !sec->id_count))
			return true;
	}
	return false;
}

/* Each container's user namespace ids, before anything is made. */
static int resolve_maps(const struct project *p, struct launch *ls, struct ce_error *err)
{
	struct idmap def = { 0 };

	if (needs_default_range(p) && userns_default_range(&def, err) < 0)
		return -1;
	for (size_t i = 0; i < p->n_containers; i++)
		userns_resolve(&p->containers[i].sec, &def, &ls[i].map);
	return 0;
}

/* The profile the container is made with, journalled before it is cloned: exec and ready apply
 * this one, whatever file they are given later. */
static int journal_profile(struct journal *j, const struct launch *l, struct ce_error *err)
{
	const struct security *sec = &l->c->sec;
	struct profile pr = { .caps = caps_mask(sec), .seccomp = sec->seccomp != 0, .userns = l->map.on,
			      .uid = l->map.uid, .gid = l->map.gid, .count = l->map.count };
	char args[PROFILE_ARGS_MAX];

	profile_format(&pr, args);
	return journal_add(j, err, J_PROFILE, "%s %s", l->c->name, args);
}

/* One log keeper for the whole project (none for run: its container has our stdio). It gets
 * every container's pipe read ends and state dir; ours are closed (the output pipe's once it went
 * to the container's pid 1 at release, which holds it unread), so it alone reads them. */
static int start_keeper(const struct project *p, struct journal *j, struct launch *ls, int *ctl,
			struct ce_error *err)
{
	_cleanup_free_ struct logkeeper_log *logs = calloc(p->n_containers + 1, sizeof(*logs));
	size_t n = 0;
	pid_t pid;

	if (!logs)
		return ce_error_set(err, ENOMEM, "log keeper");
	for (size_t i = 0; i < p->n_containers; i++)
		if (ls[i].log_r >= 0)
			logs[n++] = (struct logkeeper_log){ ls[i].log_r, ls[i].exit_r, ls[i].dir_fd,
							    container_log_max_size(ls[i].c), container_log_max_files(ls[i].c) };
	if (!n)
		return 0;
	pid = logkeeper_start(logs, n, ctl, err);
	if (pid < 0)
		return -1;
	for (size_t i = 0; i < p->n_containers; i++)
		if (ls[i].exit_r >= 0) {
			close(ls[i].exit_r);
			ls[i].exit_r = -1;
		}
	return journal_add(j, err, J_KEEPER, "%d %llu", (int)pid, proc_starttime(pid));
}

/* Clone every container (each blocked), wire them, start the log keeper, then, once the tables are in,
 * release them all. */
static int start_containers(const struct project *p, const struct up_opts *o, const struct cgroup_ops *cg,
			    struct net_ctx *nl, struct journal *j, struct launch *ls, int *log_ctl,
			    struct net_pending *tables,
			    struct ce_error *err)
{
	size_t n = p->n_containers;
	_cleanup_free_ char *hosts = dnsfiles_hosts_names(p);	/* each child's copy: made once, not by each */

	if (!hosts)
		return ce_error_set(err, ENOMEM, "/etc/hosts");
	timing_mark("up: parent cgroup");
	for (size_t i = 0; i < n; i++) {
		ls[i].hosts = hosts;
		if (journal_profile(j, &ls[i], err) < 0 || launch_clone(p, cg, j, &ls[i], o->interactive, err) < 0)
			return -1;
		ls[i].hosts = NULL;
	}
	timing_mark("up: dirs, cgroups, clone");
	for (size_t i = 0; i < n; i++)
		if (launch_open(&ls[i], o->interactive, err) < 0 || make_veths(p, nl, j, &ls[i], err) < 0)
			return -1;
	if (make_links(p, nl, j, ls, err) < 0 || announce_ports(p, nl, err) < 0)
		return -1;
	timing_mark("up: veths");
	if (start_keeper(p, j, ls, log_ctl, err) < 0)
		return -1;
	timing_mark("up: log keeper");
	if (filter_done(p, j, tables, err) < 0)
		return -1;
	timing_mark("up: nftables tables in (filter, forwarding, nat)");
	for (size_t i = 0; i < n; i++)
		if (launch_release(&ls[i], err) < 0)
			return -1;
	for (size_t i = 0; i < n; i++)
		if (launch_wait_ready(&ls[i], err) < 0)
			return -1;
		else
			progress_line("  %-20s started (pid %d)%s", ls[i].c->name, (int)ls[i].pid,
				      ls[i].hold_w >= 0 ? ", its command waits for depends_on" : "");
	if (journal_add(j, err, J_STARTED, "%s", "") < 0)
		return -1;
	timing_mark("up: containers ready");
	/* after all: each takes the RTNL, which the children configuring their netns contend for */
	for (size_t i = 0; i < n; i++)
		if (settle_veths(nl, &ls[i], err) < 0)
			return -1;
	if (settle_links(p, ls, err) < 0)
		return -1;
	timing_mark("up: host veth ends and link ends active");
	return 0;
}

/* On a systemd host (cgroup_systemd_delegated) the project's groups go in its own delegated scope,
 * journalled before systemd is asked for it; elsewhere in cengine/<project> under the root. */
static int make_scope(const struct project *p, struct journal *j, struct ce_error *err)
{
	char unit[300];

	if (!cgroup_systemd_delegated())
		return 0;
	cgroup_systemd_unit(p->name, unit, sizeof(unit));
	if (journal_add(j, err, J_UNIT, "%s", unit) < 0 || cgroup_systemd_start(unit, err) < 0)
		return -1;
	timing_mark("up: systemd scope");
	return 0;
}

/* On every way out the tables' child is done (waited for): teardown must not race it. */
static int build(const struct project *p, const struct up_opts *o, const struct net_hostfw *host, struct journal *j,
		 struct launch *ls, int *log_ctl, struct ce_error *err)
{
	const struct cgroup_ops *cg = cgroup_detect(err);
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	_cleanup_(net_pending_waitp) struct net_pending tables = NET_PENDING_NONE;
	char parent[256];

	timing_mark("up: parsed, journal created");
	if (!cg || resolve_maps(p, ls, err) < 0 || net_open(&nl, err) < 0 || make_filter(p, host, j, &tables, err) < 0)
		return -1;
	timing_mark("up: nftables tables started");
	net_set_group(nl, naming_group(p->name));
	for (size_t i = 0; i < p->n_networks; i++)
		if (make_network(p, nl, j, &p->networks[i], err) < 0)
			return -1;
	if (o->subnet_lock && *o->subnet_lock >= 0) {	/* the auto subnets are in the journal: others see them */
		close(*o->subnet_lock);
		*o->subnet_lock = -1;
	}
	timing_mark("up: bridges");
	naming_cgroup(p->name, NULL, parent, sizeof(parent));
	if (make_scope(p, j, err) < 0 || journal_add(j, err, J_CGROUP, "%s", parent) < 0 ||
	    cg->create(parent, err) < 0)
		return -1;
	return start_containers(p, o, cg, nl, j, ls, log_ctl, &tables, err);
}

/* The link and route checks of fits_host(): their first dump waits for the RTNL, which a
 * `down` just before holds while the kernel deletes its bridge (rcu_barrier(), 10-30 ms);
 * they run in a thread while the main one inspects the host's firewall. */
struct host_check {
	const struct project *p;
	struct net_ctx *nl;
	struct ce_error err;
	int rc;
};

static void *links_routes_job(void *arg)
{
	struct host_check *c = arg;

	c->rc = runtime_fits_host(c->p, c->nl, &c->err);
	return NULL;
}

/* Under the lock, nothing journalled yet: no planned link name may be taken (by another project,
 * or anyone), no subnet may overlap the host's. 0; 1 bad input for this host; -1. */
static int fits_host(const struct project *p, const struct up_opts *o, struct net_hostfw *host, struct ce_error *err)
{
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	struct ce_error fw_err = { 0 };
	struct host_check c = { .p = p };
	pthread_t thread;
	bool threaded;
	int fw;

	if (net_open(&nl, err) < 0)
		return -1;
	c.nl = nl;
	threaded = pthread_create(&thread, NULL, links_routes_job, &c) == 0;
	if (!threaded)
		links_routes_job(&c);
	fw = firewall_inspect(p, host, &fw_err);
	timing_mark("up: host firewall inspected (libnftables loaded)");
	if (threaded)
		pthread_join(thread, NULL);
	if (c.rc != 0) {	/* the links and routes speak first, as when one ran after the other */
		*err = c.err;
		return c.rc;
	}
	timing_mark("up: fits the host's links and routes (the rest of their wait)");
	if (fw < 0) {
		*err = fw_err;
		return -1;
	}
	return firewall_judge(p, o->quiet, host, err);	/* 1: its firewall drops and cannot be opened */
}

/* Did an earlier `up` of the project finish (its journal ends with J_UP)? */
static bool up_finished(const char *project)
{
	_cleanup_free_ struct journal_entry *e = NULL;
	size_t n = 0;

	if (journal_read(project, &e, &n, NULL) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == J_UP)
			return true;
	return false;
}

/* 0: not up; 1: up (containers that exited on their own count as up);
 * -1: an earlier up did not finish (crash): down first. */
static int check_not_up(const struct project *p, struct ce_error *err)
{
	size_t running, total;

	if (!journal_exists(p->name))
		return 0;
	project_state_count(p->name, &running, &total);
	if (up_finished(p->name))
		return 1;
	return ce_error_set(err, EEXIST, "project %s is partly up (an earlier up did not finish, %zu of %zu "
			    "containers running); run `cengine down %s` first", p->name, running, total,
			    p->file ? p->file : p->name);
}

/* Every container's log file exists once up returns. The keeper makes them as it starts, beside the
 * containers' setup rather than before it (an inode each: up to 1 ms on an ext4 without a journal, which
 * skips every inode deleted in the last minutes); a sync with it says it has. Without a keeper (run) or
 * an answer, up makes them. */
static int logs_made(const struct project *p, const struct launch *ls, int log_ctl, struct ce_error *err)
{
	if (log_ctl >= 0 && logkeeper_sync(log_ctl, LOGS_MADE_MS) == 0)
		return 0;
	for (size_t i = 0; i < p->n_containers; i++)
		if (ls[i].dir_fd >= 0 && launch_log_file(&ls[i], err) < 0)
			return -1;
	return 0;
}

int runtime_up(const struct project *p, const struct up_opts *o, pid_t *init_pid, struct ce_error *err)
{
	_cleanup_free_ struct launch *ls = calloc(p->n_containers, sizeof(*ls));
	struct journal j = { .fd = -1 };
	_cleanup_close_ int log_ctl = -1;	/* to the log keeper: ready's log tail syncs with it */
	struct net_hostfw host;
	int lock, rc;

	if (!ls)
		return ce_error_set(err, ENOMEM, "up");
	for (size_t i = 0; i < p->n_containers; i++)
		ls[i] = (struct launch){ .c = &p->containers[i], .sync_fd = -1, .netns_fd = -1, .lower_fd = -1,
				     .log_r = -1, .exit_r = -1, .log_w = -1, .exit_w = -1, .dir_fd = -1, .hold_w = -1 };
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
	if (rc == 0 && (rc = fits_host(p, o, &host, err)) > 0) {
		journal_unlock_remove(p->name, lock);	/* bad input: nothing made, no lock file left */
		return 1;
	}
	if (rc != 0 || journal_create(p->name, &j, err) < 0) {
		close(lock);
		return -1;
	}
	rc = build(p, o, &host, &j, ls, &log_ctl, err);
	if (cgroup_systemd_leave(rc < 0 ? NULL : err) < 0)	/* out of the scope before a teardown stops it */
		rc = -1;
	if (rc == 0 && !o->interactive)
		rc = ready_wait_all(p, ls, log_ctl, progress_enabled(), err);
	if (rc == 0)
		rc = logs_made(p, ls, log_ctl, err);
	if (rc == 0 && journal_add(&j, err, J_UP, "%zu", p->n_containers) < 0)
		rc = -1;
	for (size_t i = 0; i < p->n_containers; i++)
		launch_close(&ls[i]);
	journal_close(&j);
	if (rc < 0) {
		runtime_teardown(p->name, 0, NULL);	/* undo what was made; err keeps the cause */
		journal_unlock_remove(p->name, lock);	/* a failed up leaves no lock file either */
		return rc;
	}
	if (init_pid)
		*init_pid = ls[0].pid;
	close(lock);
	return rc;
}
