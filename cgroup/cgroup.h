/* SPDX-License-Identifier: MIT */
/* cgroup.h: one cgroup interface with two backends (v2 unified, v1 per controller), chosen at run time. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/devices.h"
#include "model/project.h"
#include "util/error.h"

struct cgroup_stats {
	uint64_t cpu_usage_usec;	/* total CPU time used */
	uint64_t memory_current;	/* bytes */
	uint64_t memory_max;		/* bytes, UINT64_MAX = unlimited */
	uint64_t pids_current;
	uint64_t oom_kills;
};

/* `rel` is always a path relative to the hierarchy root, e.g.
 * "cengine/pair/centos1" (see naming_cgroup()). */
struct cgroup_ops {
	const char *name;	/* "v2" or "v1" */
	/* mkdir rel (and missing parents), enabling needed controllers on v2 /
	 * copying cpuset.cpus/mems on v1. Existing directories are fine. */
	int (*create)(const char *rel, struct ce_error *err);
	/* A container's group rel, under a parent create() made: v2 as create(); v1 in each hierarchy
	 * holding a controller every container needs a group of its own in (cpu, cpuacct, memory, pids,
	 * freezer, devices; the unified tree) or one lim writes a limit to (cpuset, io). In the others
	 * (cpuset, blkio without such a limit, named ones) the container joins the parent's group
	 * (open_self, enter): one mkdir and rmdir less per container each, and never the root. */
	int (*create_leaf)(const char *rel, const struct limits *lim, struct ce_error *err);
	/* Write the limits that are set (see the limits table in cgroup/limits.c). */
	int (*apply)(const char *rel, const struct limits *lim, struct ce_error *err);
	/* Let the group's processes open and mknod only the devices the rules allow: v1
	 * devices.deny "a" then one devices.allow line per rule; v2 a BPF_PROG_TYPE_CGROUP_DEVICE
	 * program attached to the group. Call it before any process joins. */
	int (*devices)(const char *rel, const struct device_rule *rules, size_t n, struct ce_error *err);
	/* O_DIRECTORY fd usable with clone3 CLONE_INTO_CGROUP: v2 the group; v1 the group in a
	 * hybrid host's unified tree (the v1 hierarchies stay for open_self). -1 with err->code =
	 * ENOTSUP where there is no cgroup2 tree (caller then uses enter() or open_self()). */
	int (*open_fd)(const char *rel, struct ce_error *err);
	/* Move pid into the group (every hierarchy; v1: the parent's where create_leaf left rel out). */
	int (*enter)(const char *rel, pid_t pid, struct ce_error *err);
	/* Open (O_WRONLY, O_CLOEXEC) the files through which a single-threaded process
	 * moves itself into the group by writing "0" (cgroup_enter_self): v1 each
	 * hierarchy's `tasks`, which moves only the writing thread and so skips the
	 * kernel's global threadgroup lock and its RCU grace period (5-20 ms), and a
	 * hybrid host's unified cgroup.procs; v2 cgroup.procs. `rest`: the process was
	 * cloned into open_fd()'s group, only the other hierarchies (v2: none). Every
	 * hierarchy, not only those with limits: a container left in its caller's group in
	 * one would have that group as its cgroup namespace root there (the root's
	 * release_agent, the caller's devices.allow). Opened by the host's root, usable
	 * after a user namespace is entered. Returns how many (<= CGROUP_SELF_MAX) or -1. */
	int (*open_self)(const char *rel, bool rest, int *fds, struct ce_error *err);
	/* SIGKILL every process in the group and wait (bounded) until it is empty.
	 * A missing group is not an error. v1: a hierarchy's group found empty is
	 * removed at once (a teardown's destroy follows; it finds it gone). */
	int (*kill_all)(const char *rel, struct ce_error *err);
	/* rmdir the group (every v1 hierarchy); a missing group is not an error. */
	int (*destroy)(const char *rel, struct ce_error *err);
	int (*stats)(const char *rel, struct cgroup_stats *st, struct ce_error *err);
	/* Does the group exist? */
	bool (*exists)(const char *rel);
};

#define CGROUP_SELF_MAX 32	/* hierarchies: at most 16 controllers, named ones, unified */

/* Write "0" to each fd of open_self() and close them all: the calling thread
 * joins the group. -1 with errno on the first failure (the rest are closed). */
int cgroup_enter_self(int *fds, size_t n);

extern const struct cgroup_ops cgroup_v1_ops;
extern const struct cgroup_ops cgroup_v2_ops;

/* Pick the backend: pure cgroup2 at the root (statfs magic) -> v2; else v1
 * (hybrid or legacy). CENGINE_CGROUP=v1|v2 forces one (tests). */
const struct cgroup_ops *cgroup_detect(struct ce_error *err);

/* Does this host want a project's groups in a systemd scope (cengine-<project>.scope in cengine.slice,
 * Delegate=yes)? Yes when systemd is pid 1 (/run/systemd/system exists, sd_booted()'s test) and
 * /sys/fs/cgroup is pure cgroup2, unless CENGINE_CGROUP, CENGINE_CGROUP_ROOT or CENGINE_SYSTEMD=0 is set.
 * Hybrid and v1 hosts, and hosts without systemd (busybox init, a container), keep plain directories. */
bool cgroup_systemd_delegated(void);
/* The layout cengine uses on this host, in words (cengine(1) "Cgroup layouts"; for doctor and messages):
 * "cgroup v2 under systemd (a delegated scope per project)", "cgroup v2", "cgroup v1 (hybrid)" (v1 controllers
 * beside a cgroup2 tree), "cgroup v1", or "none" (no usable hierarchy). */
const char *cgroup_layout(void);
/* The unit of a project's scope: "cengine-<project>.scope". */
void cgroup_systemd_unit(const char *project, char *buf, size_t n);
/* Ask systemd (D-Bus StartTransientUnit, libsystemd dlopen()ed) for the scope `unit` in cengine.slice
 * with Delegate=yes holding the calling process, wait for its job (JobRemoved), then move the caller
 * into the scope's leaf group, so that the v2 backend can make the containers' groups in the scope.
 * Every cgroup_v2_ops call on "cengine/<project>[/...]" goes to the scope once it exists. */
int cgroup_systemd_start(const char *unit, struct ce_error *err);
/* Move the caller back to the group it was in before cgroup_systemd_start() (nothing when it was not
 * called): done before anything may kill or stop the scope. What it forked stays in the scope. */
int cgroup_systemd_leave(struct ce_error *err);
/* Where group rel is, relative to the hierarchy root, on this host: rel, or for a project with a systemd scope
 * "cengine.slice/cengine-<project>.scope[/<container>]" (what ps shows; the ops take either). */
void cgroup_placed(const char *rel, char *buf, size_t n);
/* StopUnit and wait for its job; a unit systemd does not know (gone when it emptied) and a host
 * without systemd are fine. */
int cgroup_systemd_stop(const char *unit, struct ce_error *err);

/* Mount point of the hierarchies, default /sys/fs/cgroup. CENGINE_CGROUP_ROOT
 * overrides it (tests, QEMU guest). */
const char *cgroup_root(void);

/* Limit conversion, exposed for unit tests. cpu 0.5 -> quota 50000, period 100000. */
void cgroup_cpu_to_quota(double cpu, uint64_t *quota_us, uint64_t *period_us);
/* cpu_weight (1..10000, default 100) -> v1 cpu.shares (default 1024, 2..262144). */
uint64_t cgroup_weight_to_shares(uint64_t weight);
