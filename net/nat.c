/* SPDX-License-Identifier: MIT */
/* net/nat.c: opt-in masquerading in the project's own nftables table, through libnftables (dlopen()ed on first use). */
#include "net/net.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/nft.h"
#include "net/nft_dl.h"
#include "util/addr.h"
#include "util/cleanup.h"

void nft_nat_print(FILE *f, const char *project, const char *mark, const struct net_nat *nets, size_t n)
{
	char a[16];

	fprintf(f, "create table ip cengine-%s { comment \"%s\"; }\n", project, mark);
	fprintf(f, "add chain ip cengine-%s postrouting { type nat hook postrouting priority srcnat; policy accept; }\n",
		project);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "add rule ip cengine-%s postrouting ip saddr %s/%d oifname != \"%s\" masquerade\n", project,
			addr_format(nets[i].subnet, a, sizeof(a)), nets[i].prefix, nets[i].bridge);
}

/* "create", not "add": a table of that name that is there already is not taken over. */
int net_nat_add(const char *project, const char *mark, const struct net_nat *nets, size_t n, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return ce_error_set(err, ENOMEM, "nat table");
	nft_nat_print(f, project, mark, nets, n);
	if (fclose(f) != 0)
		return ce_error_set(err, ENOMEM, "nat table");
	return nft_batch_run(buf, "nat table", err);
}

int net_nat_remove(const char *project, const char *mark, struct ce_error *err)
{
	static const char *const family[] = { "ip" };
	char table[128];

	snprintf(table, sizeof(table), "cengine-%s", project);
	return nft_tables_remove_marked(family, 1, table, mark, err);
}

int net_nat_available(struct ce_error *err)
{
	return nft_dl_load(err);
}
