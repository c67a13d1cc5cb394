/* SPDX-License-Identifier: MIT */
/* doctor_host.c: doctor's checks read from the host: overlayfs, cgroups, systemd, the firewall, nftables, /etc/subuid, open files, disk. */
#include "runtime/verbs/doctor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "net/net.h"
#include "runtime/launch/rootfs_cache.h"
#include "runtime/launch/userns.h"
#include "runtime/verbs/firewall.h"
#include "util/cleanup.h"

#define FDS_BASE 64		/* descriptors up holds whatever the project (libraries, journal, sockets) */
#define FDS_PER_CONTAINER 16	/* its netns, pipes, log, state and rootfs descriptors, with room */

/* The first line of a small file, without its newline, into buf ("" when unreadable). */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* Does a line of the file start with `prefix`? */
static bool has_line(const char *path, const char *prefix)
{
	char line[512];
	bool found = false;
	FILE *f = fopen(path, "re");

	while (f && !found && fgets(line, sizeof(line), f))
		found = !strncmp(line, prefix, strlen(prefix));
	if (f)
		fclose(f);
	return found;
}

void doctor_overlay(const struct project *p, struct doctor_check *c)
{
	if (has_line("/proc/filesystems", "nodev\toverlay")) {
		snprintf(c->what, sizeof(c->what), "overlayfs is there: each container writes to its own layer over a "
			 "shared root tree");
		return;
	}
	c->status = doctor_missing(p != NULL);
	snprintf(c->what, sizeof(c->what), "no overlayfs in /proc/filesystems: no container can start");
	snprintf(c->fix, sizeof(c->fix), "modprobe overlay (CONFIG_OVERLAY_FS)");
}

/* The controllers cengine writes limits to, missing from the tree of `ops`, into buf ("" when none). */
static void missing_controllers(const struct cgroup_ops *ops, char *buf, size_t len)
{
	static const char *const need[] = { "cpu", "memory", "pids" };
	char path[512], list[512] = "";
	size_t at = 0;

	if (!strcmp(ops->name, "v2")) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", cgroup_root());
		read_line(path, list, sizeof(list));
	}
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(need) / sizeof(*need); i++) {
		struct stat st;
		bool there;

		snprintf(path, sizeof(path), "%s/%s", cgroup_root(), need[i]);
		there = strcmp(ops->name, "v2") ? stat(path, &st) == 0 : strstr(list, need[i]) != NULL;
		if (!there && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ", " : "", need[i]);
	}
}

void doctor_cgroup(const struct project *p, struct doctor_check *c)
{
	struct ce_error err = { 0 };
	const struct cgroup_ops *ops = cgroup_detect(&err);
	char missing[128], unified[512];
	struct stat st;

	if (!ops) {
		c->status = DOCTOR_FAIL;
		snprintf(c->what, sizeof(c->what), "no usable cgroup tree at %s: %s", cgroup_root(), err.msg);
		snprintf(c->fix, sizeof(c->fix), "mount cgroup2 on /sys/fs/cgroup (or the v1 cpu, memory and pids hierarchies)");
		return;
	}
	missing_controllers(ops, missing, sizeof(missing));
	snprintf(unified, sizeof(unified), "%s/unified", cgroup_root());
	snprintf(c->what, sizeof(c->what), "%s at %s%s%s%s", !strcmp(ops->name, "v2") ? "cgroup v2 only" :
		 stat(unified, &st) == 0 ? "hybrid: v1 controllers, cgroup2 at unified/," : "cgroup v1", cgroup_root(),
		 missing[0] ? "; missing controllers: " : "; cpu, memory and pids limits can be set",
		 missing, missing[0] ? " (their limits cannot be set)" : "");
	if (missing[0]) {
		c->status = doctor_missing(p != NULL);
		snprintf(c->fix, sizeof(c->fix), "enable the controllers: v2 through cgroup.subtree_control of the root, "
			 "v1 by mounting their hierarchies");
	}
}

void doctor_systemd(const struct project *p, struct doctor_check *c)
{
	char comm[64];

	(void)p;
	read_line("/proc/1/comm", comm, sizeof(comm));
	if (cgroup_systemd_delegated()) {
		snprintf(c->what, sizeof(c->what), "%s: each project's groups go in cengine-<project>.scope (cengine.slice, "
			 "Delegate=yes), made through systemd's D-Bus API; systemctl status and systemd-cgls show them",
			 cgroup_layout());
		return;
	}
	if (strcmp(comm, "systemd")) {
		snprintf(c->what, sizeof(c->what), "pid 1 is %s, not systemd (%s): cengine manages its groups "
			 "(cengine/<project>) alone", comm[0] ? comm : "unknown", cgroup_layout());
		return;
	}
	snprintf(c->what, sizeof(c->what), "pid 1 is systemd, layout %s: cengine's groups sit under cengine/ (no "
		 "delegated scope: the tree is not pure cgroup2, or CENGINE_SYSTEMD=0, CENGINE_CGROUP or CENGINE_CGROUP_ROOT "
		 "is set)", cgroup_layout());
}

void doctor_firewall(const struct project *p, struct doctor_check *c)
{
	struct ce_error err = { 0 };
	struct net_hostfw h;
	char fix[400], name[160];

	if (net_hostfw_inspect(&h, &err) < 0) {
		c->status = doctor_missing(p && p->n_networks);
		snprintf(c->what, sizeof(c->what), "the host's firewall could not be read: %s", err.msg);
		return;
	}
	if (h.legacy[0]) {
		c->status = doctor_missing(firewall_network(p, true) != NULL);
		snprintf(c->what, sizeof(c->what), "%s (br_netfilter %s): the containers' traffic is dropped, and "
			 "libip4tc/libip6tc, through which cengine adds its rules there, do not load (up fails)",
			 h.legacy, h.br_netfilter ? "on" : "off");
		if (p)
			firewall_legacy_fix(&h, p, fix, sizeof(fix));
		snprintf(c->fix, sizeof(c->fix), "install iptables (libip4tc2, libip6tc2), or run %s and set "
			 "firewall = \"off\"", p ? fix : "iptables-legacy -I FORWARD -i BRIDGE -j ACCEPT and -o BRIDGE "
			 "for each bridge");
		return;
	}
	if (!h.n_chains) {
		snprintf(c->what, sizeof(c->what), "the host's forward and input paths drop nothing (br_netfilter %s)",
			 h.br_netfilter ? "on" : "off");
		return;
	}
	net_hostfw_chain_name(&h.chains[0], name, sizeof(name));
	snprintf(c->what, sizeof(c->what), "the host's firewall (%s, br_netfilter %s) drops what bridges carry (%s): "
		 "up adds allow rules for the project's bridges in %s%s, down removes them", h.kind,
		 h.br_netfilter ? "on" : "off", h.chains[0].why, name,
		 h.n_chains > 1 ? " and the other dropping chains" : "");
	if (firewall_network(p, false)) {
		c->status = DOCTOR_WARN;
		snprintf(c->fix, sizeof(c->fix), "the file's networks with firewall = \"off\" get no rules: allow their "
			 "bridges yourself, or drop that setting");
	}
}

void doctor_nftables(const struct project *p, struct doctor_check *c)
{
	struct ce_error err = { 0 };

	if (net_filter_available(&err) == 0) {
		snprintf(c->what, sizeof(c->what), "libnftables loads: bridge networks get their filter tables and nat");
		return;
	}
	c->status = doctor_missing(p && p->n_networks);
	snprintf(c->what, sizeof(c->what), "%s: no bridge network can be made", err.msg);
	snprintf(c->fix, sizeof(c->fix), "apt-get install libnftables1 (dnf install nftables)");
}

void doctor_subuid(const struct project *p, struct doctor_check *c)
{
	struct ce_error err = { 0 };
	struct idmap def = { 0 };

	if (userns_default_range(&def, &err) < 0) {
		c->status = doctor_missing(doctor_needs_userns(p));
		snprintf(c->what, sizeof(c->what), "%s", err.msg);
		snprintf(c->fix, sizeof(c->fix), "usermod --add-subuids 1000000-1065535 --add-subgids 1000000-1065535 root");
		return;
	}
	if (has_line("/etc/subuid", "root:") || has_line("/etc/subuid", "0:")) {
		snprintf(c->what, sizeof(c->what), "/etc/subuid gives root a range: containers map to host uids %u-%u, "
			 "gids %u-%u", def.uid, def.uid + def.count - 1, def.gid, def.gid + def.count - 1);
		return;
	}
	c->status = DOCTOR_WARN;
	snprintf(c->what, sizeof(c->what), "/etc/subuid has no entry for root: containers map to uids %u-%u, above "
		 "every id /etc/subuid, /etc/subgid, /etc/passwd and /etc/group hand out", def.uid, def.uid + def.count - 1);
	snprintf(c->fix, sizeof(c->fix), "to choose the range: usermod --add-subuids %u-%u --add-subgids %u-%u root",
		 def.uid, def.uid + def.count - 1, def.gid, def.gid + def.count - 1);
}

void doctor_nofile(const struct project *p, struct doctor_check *c)
{
	struct rlimit rl = { 0 };
	unsigned long long need = p ? FDS_BASE + FDS_PER_CONTAINER * (unsigned long long)p->n_containers : 0;

	/* cengine raises its soft limit to the hard one at start: the hard one is what up gets */
	getrlimit(RLIMIT_NOFILE, &rl);
	snprintf(c->what, sizeof(c->what), "ulimit -Hn is %llu (cengine raises its soft limit to it): up holds about %d "
		 "descriptors a container, enough for %llu containers%s", (unsigned long long)rl.rlim_max,
		 FDS_PER_CONTAINER,
		 rl.rlim_max > FDS_BASE ? (unsigned long long)(rl.rlim_max - FDS_BASE) / FDS_PER_CONTAINER : 0ULL,
		 p ? (need > rl.rlim_max ? ", fewer than the file has" : ", as many as the file has") : "");
	if (need > rl.rlim_max) {
		c->status = DOCTOR_FAIL;
		snprintf(c->fix, sizeof(c->fix), "ulimit -Hn %llu (LimitNOFILE= in a unit)", need);
	}
}

void doctor_cache_dir(char *buf, size_t len)
{
	struct ce_error err = { 0 };
	const char *dir = rootfs_cache_dir(&err);
	struct stat st;
	char *slash;

	snprintf(buf, len, "%s", dir ? dir : ROOTFS_CACHE_DEFAULT);
	while (stat(buf, &st) < 0 && (slash = strrchr(buf, '/')))
		slash == buf ? (void)(buf[1] = '\0') : (void)(*slash = '\0');
}

void doctor_disk(const struct project *p, struct doctor_check *c)
{
	unsigned long long free_mb, need_mb = 1024;
	bool tarball = false;
	struct statvfs sv;
	char dir[512];

	for (size_t i = 0; p && i < p->n_containers; i++)
		tarball = tarball || p->containers[i].rootfs_kind == ROOTFS_TARBALL;
	doctor_cache_dir(dir, sizeof(dir));
	if (statvfs(dir, &sv) < 0) {
		c->status = DOCTOR_WARN;
		snprintf(c->what, sizeof(c->what), "%s: %s", dir, strerror(errno));
		return;
	}
	free_mb = (unsigned long long)sv.f_bavail * sv.f_frsize >> 20;
	snprintf(c->what, sizeof(c->what), "%llu MiB free on %s (the rootfs cache's file system, where tarball rootfs "
		 "trees are unpacked)%s", free_mb, dir, tarball ? "; the file unpacks tarballs" : "");
	if (free_mb < need_mb) {
		c->status = tarball ? DOCTOR_FAIL : DOCTOR_WARN;
		snprintf(c->fix, sizeof(c->fix), "free space there, point CENGINE_ROOTFS_CACHE elsewhere, or run "
			 "cengine prune");
	}
}
