/* SPDX-License-Identifier: MIT */
/* topo.h: parser pieces for topologies: IPv6, impairments, routes, forward, links. */
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
/* The printer of both: "  subnet6 fd00:1::/64, gateway6 fd00:1::1". */
void pv_net_print6(struct printer *pr, const void *obj);
/* The `ipv6` key of the last interface added to c (network net). */
int pv_iface_ipv6(struct ctx *ctx, struct container *c, const config_setting_t *s, const char *path);

/* impair.c: delay/jitter "50ms", loss "10%", rate "10mbit" into *im. */
int pv_impair_set(struct ctx *ctx, const config_setting_t *s, const char *path, const char *key,
		  struct impair *im);
bool pv_impair_is_set(const struct impair *im);
/* " delay 50ms jitter 5ms loss 1% rate 10000kbit": the impairments set in *im. */
void pv_impair_print(const struct impair *im, FILE *out);

/* routes.c: container keys routes and forward. */
extern const struct key pv_topo_keys[];
/* After links: every route's gateway must be on one of the container's subnets. */
int pv_routes_check(struct ctx *ctx, const config_setting_t *root);

/* links.c: the top-level `links` list. */
int pv_links_load(struct ctx *ctx, const config_setting_t *s, const char *path);
/* linkends.c: a_ifname/b_ifname (a name instead of the next ethN), a_mac/b_mac; and once links are
 * read: every container has an interface or a link end, no two of its interfaces share a name, no
 * two link ends a MAC. */
int pv_link_ifname(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj);
int pv_link_mac(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj);
int pv_links_check(struct ctx *ctx, const config_setting_t *root);

/* ip = "auto": the lowest free host address of network net. */
int pv_addr_auto(struct ctx *ctx, const config_setting_t *s, const char *path, size_t net, uint32_t *out);
