/* SPDX-License-Identifier: MIT */
/* csum.h: the internet checksum (RFC 1071) of an ICMP, IPv4 or UDP header and data. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The ones' complement of the ones' complement sum of data's 16-bit words, in the byte order of
 * data: store it into the header as it is. */
uint16_t csum_inet(const void *data, size_t len);
