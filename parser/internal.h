/* SPDX-License-Identifier: MIT */
/* internal.h: what the parser's files share: the parse context, key tables and value helpers. */
#pragma once

#include <libconfig.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/project.h"
#include "util/error.h"

#define PATH_LEN 256
#define MEMORY_MIN (4ull << 20)
#define MTU_MIN 68
#define MTU_MAX 65535
#define PREFIX_MIN 8
#define PREFIX_MAX 30

struct ctx {
	const char *file;			/* as given to parser_load() */
	const char *dir;			/* its directory, for relative rootfs */
	struct project *p;
	struct ce_error *err;
	const config_setting_t *defaults;	/* the `defaults` group, or NULL */
	bool in_defaults;			/* applying `defaults` right now */
	long ncpu;
	long copy;				/* count: 0-based copy being loaded */
	long copies;				/* count: 0 when the entry has no count */
	long entry;				/* index of the containers entry being loaded */
};

/* One interface entry while it is being read. */
struct iface_spec {
	struct container *c;
	long network;				/* index, -1 until known */
};

typedef int (*key_fn)(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj);

struct key {
	const char *name;
	key_fn fn;
	bool container_only;			/* refused inside `defaults` */
};


/* Errors: one line "FILE:LINE: PATH: what", err->code = EINVAL. Return -1. */
__attribute__((format(printf, 4, 5)))
int pv_fail_line(struct ctx *ctx, int line, const char *path, const char *fmt, ...);
__attribute__((format(printf, 4, 5)))
int pv_fail_at(struct ctx *ctx, const config_setting_t *s, const char *path, const char *fmt, ...);
int pv_oom(struct ctx *ctx);

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
int pv_get_strv(struct ctx *ctx, const config_setting_t *s, const char *path, char ***out);
/* A non-empty command line replacing *dst (freed first). */
int pv_set_argv(struct ctx *ctx, const config_setting_t *s, const char *path, char ***dst);

bool pv_valid_hostname(const char *s);
bool pv_valid_ifname(const char *s);
int pv_set_name(struct ctx *ctx, const config_setting_t *s, const char *path, char *out);

int pv_apply_keys(struct ctx *ctx, const config_setting_t *group, const char *path,
		  const struct key *table, size_t n, void *obj);
int pv_require(struct ctx *ctx, const config_setting_t *group, const char *path, const char *key);

/* network.c */
const char *pv_subnet_str(const struct network *n, char buf[32]);
int pv_add_iface(struct ctx *ctx, struct container *c, size_t net, const config_setting_t *s, const char *path);
int pv_network_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct network *n);
extern const struct key pv_iface_keys[];
extern const size_t pv_n_iface_keys;

/* container.c */
int pv_container_load(struct ctx *ctx, const config_setting_t *s, const char *path, struct container *c);

/* Extra container keys, each table in its own file (limits.c, security.c, ops.c):
 * appended after the base keys, in this order. */
extern const struct key pv_limit_keys[];
extern const size_t pv_n_limit_keys;
/* limits.c: checks across limit keys once defaults and the entry are applied. */
int pv_limits_check(struct ctx *ctx, const config_setting_t *s, const char *path,
		    const struct container *c);
extern const struct key pv_security_keys[];
extern const size_t pv_n_security_keys;
extern const struct key pv_ops_keys[];
extern const size_t pv_n_ops_keys;
