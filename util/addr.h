/* SPDX-License-Identifier: MIT */
/* addr.h: IPv4 address and prefix arithmetic (host byte order), and IPv6 prefix overlap (network byte order). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse "A.B.C.D" (want_prefix false) or "A.B.C.D/P" (prefix optional when
 * want_prefix is true; *prefix is set to -1 when absent). 0 on success, -1 on error. */
int addr_parse(const char *s, uint32_t *addr, int *prefix);
uint32_t addr_mask(int prefix);
uint32_t addr_network(uint32_t addr, int prefix);
bool addr_in_subnet(uint32_t addr, uint32_t subnet, int prefix);
bool addr_subnets_overlap(uint32_t a, int pa, uint32_t b, int pb);
/* Write "A.B.C.D" into buf (at least 16 bytes). Returns buf. */
char *addr_format(uint32_t addr, char *buf, size_t len);

/* Do IPv6 prefixes a/pa and b/pb (16 bytes, network byte order) share an address? */
bool addr6_subnets_overlap(const uint8_t a[16], int pa, const uint8_t b[16], int pb);
