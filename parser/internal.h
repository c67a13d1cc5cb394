/* SPDX-License-Identifier: MIT */
/* internal.h: what the parser's files share: the parse context, key tables and their printers, value helpers. */
#pragma once

#include <libconfig.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/project.h"
#include "util/error.h"

/* Names shared between the parser's files start with pv_: they are not its API (parser.h). */

#define PATH_LEN 256
#define MEMORY_MIN (4ull << 20)
#define MTU_MIN 68
#define MTU_MAX 65535
#define PREFIX_MIN 8
#define PREFIX_MAX 30

/* What one file may make (a hostile file must not make check or down slow): */
#define CONTAINERS_MAX 10000		/* containers, `count` copies included */
#define NETWORKS_MAX 1024		/* networks (each a bridge) */
#define LINKS_MAX 10000			/* links */
#define MODEL_MAX (32u << 20)		/* bytes of lists copied into the containers */
#define MODEL_ITEM 48			/* what one string of a list costs beside its bytes (pointer, malloc, tree) */

struct source;

struct ctx {
	const char *file;			/* as given to parser_load(); NULL for a config built in memory */
	const struct source *src;		/* its text (source.h): file and line of each setting; or NULL */
	const char *dir;			/* its directory, for relative rootfs */
	struct project *p;
	struct ce_error *err;
	const config_setting_t *defaults;	/* the `defaults` group, or NULL */
	bool in_defaults;			/* applying `defaults` right now */
	long ncpu;
	uint64_t ram;				/* bytes of RAM of this host (for rw_size) */
	long copy;				/* count: 0-based copy being loaded */
	long copies;				/* count: 0 when the entry has no count */
	long entry;				/* index of the containers entry being loaded */
	/* index.c: what the checks look up, in O(log n) (a file of 10,000 containers checks in a blink) */
	void *names;				/* tsearch(3) tree of the container names so far */
	void *net_names;			/* ... of the network names */
	void *addrs;				/* ... of the addresses of interfaces and link ends */
	uint32_t *auto_next;			/* per network: no free host address below it */
	size_t *ifaces_on;			/* per network: 1 + the last container with an interface on it */
	size_t *link_ends;			/* per container: its link ends so far */
	size_t held;				/* bytes of lists copied into containers (MODEL_MAX) */
};

/* One interface entry while it is being read. */
struct iface_spec {
	struct container *c;
	long network;				/* index, -1 until known */
};

/* What `cengine check` prints one object through: the printers write its head line
 * ("container web: hostname web, rootfs /, ...") to out as they go, and its indented lines
 * to body, which follows once the head line ends. */
struct printer {
	const struct project *p;
	FILE *out;
	FILE *body;
	int fields;				/* fields on the head line so far */
	bool failed;				/* out of memory for a body */
};

typedef int (*key_fn)(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj);
/* Show what the key put into obj. Keys that fill the same fields share one printer, and a
 * shared printer runs once per object (ip, interfaces and ipv6 all print the interfaces). */
typedef void (*print_fn)(struct printer *pr, const void *obj);

/* One key, as LXC's config table has it: its parser and its printer side by side. Both get the
 * group's object (a struct container, ...), except an interface's: its parser reads into a
 * struct iface_spec, its printer shows the struct iface made. */
struct key {
	const char *name;			/* NULL ends a table */
	key_fn parse;
	print_fn print;
	bool container_only;			/* refused inside `defaults` */
};

/* A key whose parser and printer are named after it: PV_KEY(l, cpu) is
 * { "cpu", l_cpu, l_print_cpu, false }. The name is written once, so a key cannot get another
 * key's printer by a slip; the rows of a table list keys by shared parser or printer otherwise. */
#define PV_KEY(prefix, key) { #key, prefix##_##key, prefix##_print_##key, false }
/* The end of a table of keys. */
#define PV_END { .name = NULL }

/* The keys of one kind of group (the root, a network, a container, an interface, a link):
 * its tables, walked in order. That order is the order the parsers run in (a subnet is
 * known before its gateway) and the order `cengine check` prints in. */
struct key_group {
	const char *name;			/* "container": for tests and messages about the table */
	const struct key *const *tables;	/* NULL-terminated */
};

/* const struct key_group var = { label, { the tables listed, NULL } }. */
#define PV_KEY_GROUP(var, label, ...)						\
	static const struct key *const var##_tables[] = { __VA_ARGS__, NULL };	\
	const struct key_group var = { label, var##_tables }

/* parser.c, network.c, container.c, links.c */
extern const struct key_group pv_root_group, pv_network_group, pv_iface_group, pv_container_group,
	pv_link_group;
/* Every group, NULL-terminated (what tests walk). */
extern const struct key_group *const pv_groups[];

/* Errors: one line "FILE:LINE: PATH: what" (FILE and LINE where the setting was written, also in
 * an included file; just "PATH: what" for a config built in memory), err->code = EINVAL. Return -1.
 * pv_fail_line's line is a line of the text libconfig read (1: the top of the file). */
__attribute__((format(printf, 4, 5)))
int pv_fail_line(struct ctx *ctx, int line, const char *path, const char *fmt, ...);
__attribute__((format(printf, 4, 5)))
int pv_fail_at(struct ctx *ctx, const config_setting_t *s, const char *path, const char *fmt, ...);
int pv_oom(struct ctx *ctx);
/* The line of the file (or included file) where s was written, for the model's line fields. */
int pv_line(const struct ctx *ctx, const config_setting_t *s);

void pv_path_key(char out[PATH_LEN], const char *parent, const char *key);
void pv_path_elem(char out[PATH_LEN], const char *parent, int index);

int pv_get_string(struct ctx *ctx, const config_setting_t *s, const char *path, const char **out);
bool pv_is_integer(const config_setting_t *s);
int pv_get_integer(struct ctx *ctx, const config_setting_t *s, const char *path, long long *out);
int pv_get_number(struct ctx *ctx, const config_setting_t *s, const char *path, double *out);
int pv_get_bool(struct ctx *ctx, const config_setting_t *s, const char *path, bool *out);
/* An MTU, MTU_MIN..MTU_MAX. */
int pv_get_mtu(struct ctx *ctx, const config_setting_t *s, const char *path, int *out);
int pv_check_list(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what);
/* pv_check_list, at most max entries ("N things, at most MAX"), then a zeroed element of size for
 * each: NULL after the error. */
void *pv_list_alloc(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what,
		    const char *things, int max, size_t size);
int pv_get_strv(struct ctx *ctx, const config_setting_t *s, const char *path, char ***out);
/* A non-empty command line replacing *dst (freed first). */
int pv_set_argv(struct ctx *ctx, const config_setting_t *s, const char *path, char ***dst);

bool pv_valid_hostname(const char *s);
bool pv_valid_ifname(const char *s);
/* A string of less than size bytes that valid() accepts: else "\"STR\" is not a valid WHAT". */
int pv_get_name(struct ctx *ctx, const config_setting_t *s, const char *path, size_t size,
		bool (*valid)(const char *), const char *what, const char **out);
int pv_set_name(struct ctx *ctx, const config_setting_t *s, const char *path, char *out);

/* Refuse keys that g does not have, then run the parser of each key present, in g's order. */
int pv_apply_keys(struct ctx *ctx, const config_setting_t *group, const char *path,
		  const struct key_group *g, void *obj);
int pv_require(struct ctx *ctx, const config_setting_t *group, const char *path, const char *key);

/* index.c. A name into a tree (the string must outlive it): the name that was there already
 * (name itself when it is new), NULL when out of memory (ctx->err set). */
const char *pv_name_add(struct ctx *ctx, void **tree, const char *name);
const char *pv_name_find(void *tree, const char *name);
#define PV_ADDR_FREE (-2L)
#define PV_ADDR_LINK (-1L)
/* Who has addr: a container's index, PV_ADDR_LINK or PV_ADDR_FREE. */
long pv_addr_owner(const struct ctx *ctx, uint32_t addr);
int pv_addr_add(struct ctx *ctx, uint32_t addr, long owner);
/* Count bytes copied into a container against MODEL_MAX; the error names s. */
int pv_hold(struct ctx *ctx, const config_setting_t *s, const char *path, size_t bytes);
void pv_index_free(struct ctx *ctx);

/* plan.c: what printers print with, and the walk of `cengine check` */
/* ": FIELD" (the first one) or ", FIELD" on the head line. */
__attribute__((format(printf, 2, 3)))
void pv_print_field(struct printer *pr, const char *fmt, ...);
/* "  LINE" in the body. */
__attribute__((format(printf, 2, 3)))
void pv_print_line(struct printer *pr, const char *fmt, ...);
/* " ARG" for each argument, in double quotes when it has a blank, a quote, '$' or '\\'. */
void pv_print_argv(FILE *f, char *const *argv);
/* Each printer of g for obj, in g's order, a shared one once. */
void pv_print_keys(struct printer *pr, const struct key_group *g, const void *obj);
/* One object of g: its head line (its first printer starts it: "container web"), then its body. */
void pv_print_object(struct printer *pr, const struct key_group *g, const void *obj);

/* network.c */
const char *pv_subnet_str(const struct network *n, char buf[32]);
int pv_add_iface(struct ctx *ctx, struct container *c, size_t net, const config_setting_t *s, const char *path);
int pv_network_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct network *n);

/* container.c */
int pv_container_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct container *c);
/* Number of copies an entry makes (its `count`, 1 without). -1 on error. */
long pv_container_copies(struct ctx *ctx, const config_setting_t *s, const char *path);

/* The container's tables in their own files, after container.c's own (name ... interfaces):
 * limits.c, process.c (command, env), security.c, ops.c, disk.c, routes.c, in this order. */
extern const struct key pv_limit_keys[];
/* limits.c: a size, "50M" (powers of 1024, optional B) or a number of bytes; 0 only when allow_zero. */
int pv_get_size(struct ctx *ctx, const config_setting_t *s, const char *path, bool allow_zero, uint64_t *out);
/* limits.c: checks across limit keys once defaults and the entry are applied. */
int pv_limits_check(struct ctx *ctx, const config_setting_t *s, const char *path,
		    const struct container *c);
extern const struct key pv_process_keys[];
extern const struct key pv_security_keys[];
extern const struct key pv_ops_keys[];
/* disk.c: what a container may put on the host's disk (log rotation, tarball unpack caps). */
extern const struct key pv_disk_keys[];

/* issue 14 (fix-b): process.c: list's "KEY=VALUE" strings set in *env (a KEY again replaces its
 * value), list freed; envfile.c: the env_file key (its files merged before env). */
int pv_env_merge(struct ctx *ctx, char ***env, char **list);
int pv_env_file(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj);
/* dns.c (dns, dns_search, extra_hosts), ulimits.c, stop.c (stop_signal, stop_timeout),
 * depends.c (depends_on): tables after the container's others. */
extern const struct key pv_dns_keys[];
extern const struct key pv_ulimit_keys[];
extern const struct key pv_stop_keys[];
extern const struct key pv_depends_keys[];
/* values.c: a non-empty list of strings, each passed to ok(list, i) (which may check or replace
 * list[i]), replacing *dst (a container's list replaces the default's). */
typedef int (*pv_strv_item_fn)(struct ctx *ctx, const config_setting_t *s, const char *path, char **list, size_t i);
int pv_set_strv_checked(struct ctx *ctx, const config_setting_t *s, const char *path, char ***dst, pv_strv_item_fn ok);
/* entries.c: container i was made by the entry setting[i], containers.[index[i]] (count copies share it). */
struct pv_entries {
	const config_setting_t **setting;
	int *index;
};
int pv_entries_build(struct ctx *ctx, const config_setting_t *root, struct pv_entries *x);
void pv_entries_free(struct pv_entries *x);
/* dns.c: once every container is read: no `files` entry at /etc/resolv.conf beside dns or dns_search. */
int pv_dns_check(struct ctx *ctx, const config_setting_t *root);
/* depends.c: once every container is read: depends_on names known, no cycle. */
int pv_depends_check(struct ctx *ctx, const config_setting_t *root);

/* limits.c: the text of a size, "50M" (as pv_get_size), into *out; errors name s. */
int pv_parse_size(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str, uint64_t *out);

/* mounts.c: binds, tmpfs, files; fixture.c: devices, sysctls, user, workdir, shm_size (model/fixture.h). */
extern const struct key pv_mount_keys[];
extern const struct key pv_fixture_keys[];
/* A path inside the container where flags allow it: its normalized malloc'd copy (one '/' between
 * components, none at the end), or NULL with the error naming s. */
#define PV_PATH_NOT_ROOT 1		/* not "/" itself */
#define PV_PATH_NOT_KERNEL 2		/* not /proc, /sys, /dev or beneath them: cengine mounts those */
char *pv_inside_path(struct ctx *ctx, const config_setting_t *s, const char *path, const char *str, int flags);
/* A list of at most FIXTURE_LIST_MAX entries (pv_check_list, an empty one allowed): its length, or -1. */
int pv_fixture_list(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what);
/* One string of a list parsed into item (an element of the array pv_string_items builds). */
typedef int (*pv_item_fn)(struct ctx *ctx, const config_setting_t *e, const char *elem, const char *str, void *item);
struct pv_items {
	void *v;				/* n items; NULL for an empty list */
	size_t n;
};
/* The strings of the list s (pv_fixture_list's limits) parsed by fn into a new array of items of size bytes:
 * 0 and *out, or -1 with what was made handed to drop. */
int pv_string_items(struct ctx *ctx, const config_setting_t *s, const char *path, const char *what, size_t size,
		    pv_item_fn fn, void (*drop)(void *v, size_t n), struct pv_items *out);
