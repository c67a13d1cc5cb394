/* SPDX-License-Identifier: MIT */
/* project.h: the plain-C model of a project file (no libconfig types), shared by every layer. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/fixture.h"

#define CE_NAME_MAX 64		/* container names: also hostnames, so <= 63 bytes */
#define CE_PROJECT_MAX 32	/* project names go into paths and hashed interface names */
#define CE_IFNAME_MAX 16	/* IFNAMSIZ: 15 bytes + NUL */
#define CE_HOSTNAME_MAX 64

struct network {
	char name[CE_NAME_MAX];
	char bridge[CE_IFNAME_MAX];	/* given, or derived by naming_bridge() */
	uint32_t subnet;		/* host byte order, network address */
	int prefix;
	uint32_t gateway;		/* 0 when the network has no gateway */
	int mtu;			/* 0 = kernel default */
	int line;			/* line of the network's entry in the file */
	uint8_t subnet6[16];		/* IPv6 subnet (network byte order); prefix6 0 = none */
	int prefix6;
	uint8_t gateway6[16];		/* all zero = no IPv6 gateway */
	bool nat;			/* masquerade the subnet leaving through other host links */
	bool subnet_auto;		/* subnet = "auto": subnet is a stand-in (in 0.0.0.0/8) until up picks
					 * a free one from the pool and moves the network there (project_network_move) */
	bool subnet6_auto;		/* subnet6 = "auto": a stand-in /64 (in 100::/16) until up picks one
					 * (project_network_move6) */
	bool firewall_off;		/* firewall = "off": no allow rules in the host's own firewall */
};

/* netem/tbf impairments on the egress of one interface; all 0 = none. */
struct impair {
	uint32_t delay_us;
	uint32_t jitter_us;
	double loss;			/* percent, 0..100 */
	uint64_t rate;			/* bytes per second */
};

/* One interface of a container, named eth<index> in file order. */
struct iface {
	size_t network;			/* index into project.networks */
	uint32_t addr;			/* host byte order */
	int prefix;			/* the network's prefix */
	char ifname[CE_IFNAME_MAX];	/* inside the container: eth0, eth1, ... */
	char host_ifname[CE_IFNAME_MAX];/* host end of the veth, naming_veth() */
	int line;
	uint8_t addr6[16];		/* IPv6 address (network byte order); all zero = none */
	struct impair impair;		/* on the container's end (its egress) */
	bool accept_ra;			/* the container takes IPv6 router advertisements on it */
};

/* A static route inside a container: to/prefix via a gateway (IPv4 or IPv6). */
struct route {
	int family;			/* AF_INET or AF_INET6 */
	uint32_t to, via;		/* IPv4, host byte order */
	uint8_t to6[16], via6[16];	/* IPv6, network byte order */
	int prefix;
	int line;
	int entry, index;		/* containers.[entry].routes.[index], for messages */
};

/* One end of a point-to-point link: an interface made directly in a container's netns. */
struct link_end {
	size_t container;		/* index into project.containers */
	char ifname[CE_IFNAME_MAX];	/* ethN after the container's network interfaces */
	uint32_t addr;			/* host byte order; 0 = none */
	int prefix;
	uint8_t addr6[16];
	int prefix6;
	struct impair impair;		/* on this end's egress */
	bool accept_ra;			/* the container takes IPv6 router advertisements on it */
	bool named;			/* ifname given by a_ifname/b_ifname */
	bool has_mac;			/* mac given by a_mac/b_mac; else the kernel picks one */
	uint8_t mac[6];
};

/* A veth pair between two containers, no bridge. */
struct link {
	struct link_end end[2];		/* a, b */
	int mtu;
	int line;
};

/* A container without `pids` gets this many tasks: a fork bomb stops there, a CI fixture
 * (a build, a database, a JVM's threads) stays well below it (systemd's DefaultTasksMax
 * is 15% of the kernel's 32768 pids, 4915). */
#define PIDS_DEFAULT 4096

/* Resource limits; a field left at its "unset" value is not written. */
struct limits {
	double cpu;		/* CPUs (0.5 = half a CPU); 0 = unset */
	uint64_t memory;	/* bytes; 0 = unset */
	int64_t pids;		/* max tasks; the parser puts PIDS_DEFAULT where the file sets none */
	uint64_t cpu_weight;	/* relative share 1..10000; 0 = unset */
	char cpuset[64];	/* CPUs the container may run on, "0-1"; "" = unset */
	uint64_t memory_high;	/* soft limit, bytes; 0 = unset */
	int64_t memory_swap;	/* swap allowed, bytes; -1 = unset (no swap when memory is set) */
	uint64_t io_weight;	/* relative share 1..10000; 0 = unset */
	uint64_t rw_size;	/* bytes the tmpfs of its writes (and a "host" rootfs's /run and /tmp)
				 * may hold: memory, else a quarter of the host's RAM (the parser sets it);
				 * 0 = the kernel's default (half of RAM) */
};

/* Where the root tree comes from. */
#define ROOTFS_PATH_MAX 512	/* a rootfs directory's path, with its NUL: it goes into overlay options */

enum rootfs_kind {
	ROOTFS_DIR,		/* a directory (rootfs is its absolute path) */
	ROOTFS_TARBALL,		/* a .tar[.gz|.xz|.zst] (rootfs is its absolute path; unpacked into a cache) */
	ROOTFS_HOST,		/* the host's own / read-only under a private overlay (rootfs is "/") */
	ROOTFS_IMAGE,		/* an OCI or Docker image (image is its reference; rootfs is NULL until up
				 * puts the store's unpacked tree there) */
};

/* Isolation settings (issue: any distribution, truly isolated). */
struct security {
	int userns;		/* -1 unset (default: on), 0 off, 1 on */
	uint32_t uid_base;	/* first host uid of the container's 0..id_count-1; 0 = default */
	uint32_t gid_base;
	uint32_t id_count;
	char **cap_add;		/* NULL-terminated capability names "CAP_NET_ADMIN", may be NULL */
	char **cap_drop;
	int seccomp;		/* -1 unset (default: on), 0 off, 1 on */
	bool spoofing;		/* its bridge ports let it send as any MAC and address (no source filtering) */
};

#define READY_TIMEOUT_DEFAULT 30.0	/* seconds, when a container has ready but no ready_timeout */

enum restart_policy { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS };

/* What a container may put on the host's disk: its log files, and its tarball rootfs unpacked.
 * 0 in the model: the default below (the file did not set it). */
#define LOG_MAX_SIZE_DEFAULT (10ull << 20)	/* bytes per log file, as Docker's json-file max-size */
#define LOG_MAX_FILES_DEFAULT 2			/* the live log and log.1 */
#define LOG_MAX_FILES_MAX 100
#define UNPACK_MAX_SIZE_DEFAULT (4ull << 30)	/* bytes a tarball rootfs may unpack to */
#define UNPACK_MAX_ENTRIES_DEFAULT 250000ull	/* files, directories, links... (inodes) */

struct disk_limits {
	uint64_t log_max_size;		/* bytes; 0 = LOG_MAX_SIZE_DEFAULT */
	int log_max_files;		/* 1..LOG_MAX_FILES_MAX; 0 = LOG_MAX_FILES_DEFAULT */
	uint64_t unpack_max_size;	/* bytes; 0 = UNPACK_MAX_SIZE_DEFAULT */
	uint64_t unpack_max_entries;	/* 0 = UNPACK_MAX_ENTRIES_DEFAULT */
};

/* One resource limit set with prlimit(2) on the container's pid 1 (inherited by all it starts). */
struct ulimit {
	int resource;			/* RLIMIT_* */
	uint64_t soft, hard;		/* RLIM_INFINITY for "unlimited" */
};

/* What a CI fixture sets for a container's process and its /etc (issue 14). */
struct service_opts {
	char **dns;			/* nameservers: /etc/resolv.conf is written when dns or dns_search is set */
	char **dns_search;		/* search domains */
	char **extra_hosts;		/* "ADDRESS\tNAME" lines after the generated ones in /etc/hosts */
	struct ulimit *ulimits;
	size_t n_ulimits;
	int stop_signal;		/* what down sends first; 0 = SIGTERM */
	int stop_timeout_ms;		/* how long it may take before SIGKILL; -1 = down's -t (10 s) */
	char **depends_on;		/* names of containers whose readiness its command waits for */
	size_t *depends;		/* their indices into project.containers (after the whole file is read) */
	size_t n_depends;
};

struct container {
	char name[CE_NAME_MAX];
	char hostname[CE_HOSTNAME_MAX];	/* default: name */
	char *rootfs;			/* directory path (absolute after resolution, < ROOTFS_PATH_MAX bytes) */
	char *image;			/* ROOTFS_IMAGE: the canonical reference (model/imageref.h), a file
				 * transport's path absolute; else NULL */
	char **command;			/* NULL-terminated argv; NULL = pid 1 just waits */
	char **env;			/* NULL-terminated "KEY=VALUE" list, may be NULL */
	struct iface *ifaces;
	size_t n_ifaces;
	struct limits limits;
	enum rootfs_kind rootfs_kind;
	struct security sec;
	char **ready;			/* readiness command, NULL-terminated; NULL = none */
	double ready_timeout;		/* seconds; 0 = default */
	enum restart_policy restart;
	int line;			/* line of the container's entry */
	struct route *routes;
	size_t n_routes;
	bool forward;			/* ip_forward (and IPv6 forwarding) in its own netns */
	struct disk_limits disk;	/* log rotation and unpack caps */
	struct service_opts svc;	/* dns, hosts, ulimits, stop, depends_on (as a Compose service has them) */
	struct fixture fx;		/* binds, tmpfs, files, devices, sysctls, user, workdir, shm_size */
};

/* One check of `cengine test` (`tests = ( ... )`), run by cengine from inside container `from`. */
enum check_kind { CHECK_PING, CHECK_TCP, CHECK_UDP, CHECK_RUN };
#define CHECK_TARGET_MAX 80		/* "name", an IPv4 or IPv6 address, with ":port" */
#define CHECK_TIMEOUT_DEFAULT 2.0	/* seconds per attempt */
#define CHECK_COUNT_DEFAULT 3		/* echo requests of a ping */

struct check {
	enum check_kind kind;
	size_t from;			/* index into project.containers */
	char target[CHECK_TARGET_MAX];	/* ping, tcp, udp: a container name or an address, without the port */
	long to;			/* the target's container index; -1 for an address */
	int port;			/* tcp, udp */
	char **argv;			/* run: NULL-terminated */
	char *output;			/* run: extended regex its output must match; NULL = any */
	bool expect_fail;		/* passes when the probe fails (isolation) */
	double timeout;			/* seconds per attempt; 0 = CHECK_TIMEOUT_DEFAULT */
	int retries;			/* attempts after a failed one */
	int count;			/* ping: echo requests; 0 = CHECK_COUNT_DEFAULT */
	double max_rtt;			/* ping: ms the slowest reply may take; 0 = any */
	double max_loss;		/* ping: percent of requests that may go unanswered; < 0 = all but one */
	bool matrix;			/* made by reach/unreach */
	int line;			/* line of its entry in tests */
};

struct project {
	char *file;			/* path of the .conf as given */
	char name[CE_PROJECT_MAX + 1];
	struct network *networks;
	size_t n_networks;
	struct container *containers;
	size_t n_containers;
	struct link *links;
	size_t n_links;
	struct check *checks;		/* tests, in file order (reach and unreach expanded) */
	size_t n_checks;
	char **insecure_registries;	/* NULL-terminated "HOST[:PORT]" that images may come from over plain HTTP */
};

/* The disk limits of c with the defaults filled in. */
static inline uint64_t container_log_max_size(const struct container *c)
{
	return c->disk.log_max_size ? c->disk.log_max_size : LOG_MAX_SIZE_DEFAULT;
}
static inline int container_log_max_files(const struct container *c)
{
	return c->disk.log_max_files ? c->disk.log_max_files : LOG_MAX_FILES_DEFAULT;
}
static inline uint64_t container_unpack_max_size(const struct container *c)
{
	return c->disk.unpack_max_size ? c->disk.unpack_max_size : UNPACK_MAX_SIZE_DEFAULT;
}
static inline uint64_t container_unpack_max_entries(const struct container *c)
{
	return c->disk.unpack_max_entries ? c->disk.unpack_max_entries : UNPACK_MAX_ENTRIES_DEFAULT;
}

/* What the container's root tree is made from, for messages: its image, else its rootfs. */
static inline const char *container_source(const struct container *c)
{
	return c->image ? c->image : c->rootfs ? c->rootfs : "(none)";
}

void project_free(struct project *p);
/* An address of network n as check and graph show it: "10.0.0.2", or "auto+2" (its place in the
 * block) on a subnet = "auto" that up has not picked yet. */
const char *network_addr_text(const struct network *n, uint32_t addr, char buf[32]);
/* "10.0.0.0/24", or "auto/24". */
const char *network_subnet_text(const struct network *n, char buf[32]);
/* " delay 50ms jitter 5ms loss 1% rate 10000kbit" (only what is set) on out. */
void impair_print(const struct impair *im, FILE *out);
/* An IPv6 address of n as check and graph show it: "fd00::2", or "auto+2" on a subnet6 = "auto"
 * not picked yet. */
const char *network_addr6_text(const struct network *n, const uint8_t addr6[16], char buf[48]);
/* Move network i to subnet6 (same prefix6): gateway6, the interfaces' addr6 on it and the routes via
 * it keep their host part. */
void project_network_move6(struct project *p, size_t i, const uint8_t subnet6[16]);
/* Move network i to subnet (same prefix): its gateway, the interfaces on it and the routes via it keep
 * their host part (subnet = "auto", picked at up). */
void project_network_move(struct project *p, size_t i, uint32_t subnet);
static inline void project_freep(struct project **p)
{
	if (*p)
		project_free(*p);
}
