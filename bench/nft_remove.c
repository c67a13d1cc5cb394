/* SPDX-License-Identifier: MIT */
/* nft_remove.c: one timed net_filter_remove() (down's table check and removal), the first call of the process. */
#include <stdio.h>
#include <time.h>

#include "net/net.h"

int main(int argc, char **argv)
{
	struct ce_error err = { 0 };
	struct timespec a, b;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: nft_remove PROJECT MARK\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = net_filter_remove(argv[1], argv[2], &err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%d %.3f %s\n", rc, (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6, err.msg);
	return rc < 0;
}
