/* SPDX-License-Identifier: MIT */
/* csum.c: the internet checksum (RFC 1071), for the pings of the net tests, cengine test's probes and the bench's pinger. */
#include "util/csum.h"

#include <string.h>

uint16_t csum_inet(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	uint16_t w;

	for (; len > 1; len -= 2, p += 2) {
		memcpy(&w, p, 2);	/* data need not be aligned */
		sum += w;
	}
	if (len)
		sum += *p;
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return (uint16_t)~sum;
}
