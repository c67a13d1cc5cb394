/* SPDX-License-Identifier: MIT */
/* net/nat.c: opt-in masquerading in the project's own nftables table, through libnftables (dlopen()ed on first use). */
#include "net/net.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/nft_dl.h"
#include "util/addr.h"
#include "util/cleanup.h"

static inline void nft_ctx_freep(struct nft_ctx **c)
{
	if (*c)
		lib_dl_nft_ctx_free(*c);
}

/* Run one batch (atomic: all or nothing); the first line of nft's error in err. */
static int nft_run(const char *cmds, const char *what, struct ce_error *err)
{
	_cleanup_(nft_ctx_freep) struct nft_ctx *nft = NULL;
	const char *msg;

	if (nft_dl_load(err) < 0)
		return ce_error_wrap(err, "%s", what);
	nft = lib_dl_nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft)
		return ce_error_set(err, ENOMEM, "%s: nftables context", what);
	lib_dl_nft_ctx_buffer_output(nft);
	lib_dl_nft_ctx_buffer_error(nft);
	if (lib_dl_nft_run_cmd_from_buffer(nft, cmds) == 0)
		return 0;
	msg = lib_dl_nft_ctx_get_error_buffer(nft);
	return ce_error_set(err, EIO, "%s: %.*s", what, msg ? (int)strcspn(msg, "\n") : 0, msg ? msg : "");
}

int net_nat_add(const char *project, const struct net_nat *nets, size_t n, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char a[16];

	if (!f)
		return ce_error_set(err, ENOMEM, "nat table");
	fprintf(f, "add table ip cengine-%s\n", project);
	fprintf(f, "add chain ip cengine-%s postrouting { type nat hook postrouting priority srcnat; policy accept; }\n",
		project);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "add rule ip cengine-%s postrouting ip saddr %s/%d oifname != \"%s\" masquerade\n", project,
			addr_format(nets[i].subnet, a, sizeof(a)), nets[i].prefix, nets[i].bridge);
	if (fclose(f) != 0)
		return ce_error_set(err, ENOMEM, "nat table");
	return nft_run(buf, "nat table", err);
}

int net_nat_remove(const char *project, struct ce_error *err)
{
	char cmds[256];

	/* "add" first makes "delete" succeed when the table is already gone */
	snprintf(cmds, sizeof(cmds), "add table ip cengine-%s\ndelete table ip cengine-%s\n", project, project);
	return nft_run(cmds, "remove nat table", err);
}

int net_nat_available(struct ce_error *err)
{
	return nft_dl_load(err);
}
