/* SPDX-License-Identifier: MIT */
/* topo.h: parser pieces for topologies: IPv6, impairments, routes, forward, count, links. */
#pragma once

#include <libconfig.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "parser/internal.h"

#define COUNT_MAX 4096

/* ipv6.c: "fd00::1" or "fd00::/64" (prefix -1 when absent). */
int pv_ip6_parse(const char *s, uint8_t out[16], int *prefix);
bool pv_ip6_is_zero(const uint8_t a[16]);
bool pv_ip6_in_subnet(const uint8_t a[16], const uint8_t net[16], int prefix);
const char *pv_ip6_format(const uint8_t a[16], char buf[48]);
int pv_net_subnet6(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj);
int pv_net_gateway6(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj);
/* The `ipv6` key of the last interface added to c (network net). */
int pv_iface_ipv6(struct ctx *ctx, struct container *c, const config_setting_t *s, const char *path);

/* impair.c: delay/jitter "50ms", loss "10%", rate "10mbit" into *im. */
int pv_impair_set(struct ctx *ctx, const config_setting_t *s, const char *path, const char *key,
		  struct impair *im);
bool pv_impair_is_set(const struct impair *im);

/* routes.c: container keys routes, forward, count; count expansion. */
extern const struct key pv_topo_keys[];
extern const size_t pv_n_topo_keys;
/* Number of copies an entry makes (its `count`, 1 without). -1 on error. */
long pv_container_copies(struct ctx *ctx, const config_setting_t *s, const char *path);
/* After links: every route's gateway must be on one of the container's subnets. */
int pv_routes_check(struct ctx *ctx, const config_setting_t *root);

/* links.c: the top-level `links` list. */
int pv_links_load(struct ctx *ctx, const config_setting_t *s, const char *path);

/* topo_plan.c: the topology lines of `cengine check`. */
void pv_topo_print_network(const struct network *n, FILE *out);
void pv_topo_print_container(const struct container *c, FILE *out);
void pv_topo_print_links(const struct project *p, FILE *out);

/* ip = "auto": the lowest free host address of network net. */
int pv_addr_auto(struct ctx *ctx, const config_setting_t *s, const char *path, size_t net, uint32_t *out);
