/* SPDX-License-Identifier: MIT */
/* probe.c: the escape suite's probes' shared part: errno names and the table-driven attempt loop (linked into each static probe). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>

#include "probe.h"

const char *probe_errno(int e)
{
	static char buf[24];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

size_t probe_run(const struct probe_attempt *t, size_t n, const char *which)
{
	size_t ran = 0;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(which, t[i].name) || !strcmp(which, "all")) {
			const char *r = t[i].fn();

			printf("%s %s\n", t[i].name, r);
			fflush(stdout);
			ran++;
		}
	return ran;
}
