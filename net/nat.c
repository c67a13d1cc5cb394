/* SPDX-License-Identifier: MIT */
/* net/nat.c: opt-in masquerading in the project's own nftables table, through libnftables (dlopen()ed on first use). */
#include "net/net.h"

#include <errno.h>
#include <stdbool.h>
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

/* Run one batch (atomic: all or nothing); the first line of nft's error in err, its
 * output (when out is not NULL) in *out, to free. */
static int nft_run(const char *cmds, const char *what, char **out, struct ce_error *err)
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
	if (lib_dl_nft_run_cmd_from_buffer(nft, cmds) == 0) {
		msg = lib_dl_nft_ctx_get_output_buffer(nft);
		if (out && !(*out = strdup(msg ? msg : "")))
			return ce_error_set(err, ENOMEM, "%s", what);
		return 0;
	}
	msg = lib_dl_nft_ctx_get_error_buffer(nft);
	return ce_error_set(err, EIO, "%s: %.*s", what, msg ? (int)strcspn(msg, "\n") : 0, msg ? msg : "");
}

/* "create", not "add": a table of that name that is there already is not taken over. */
int net_nat_add(const char *project, const char *mark, const struct net_nat *nets, size_t n, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char a[16];

	if (!f)
		return ce_error_set(err, ENOMEM, "nat table");
	fprintf(f, "create table ip cengine-%s { comment \"%s\"; }\n", project, mark);
	fprintf(f, "add chain ip cengine-%s postrouting { type nat hook postrouting priority srcnat; policy accept; }\n",
		project);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "add rule ip cengine-%s postrouting ip saddr %s/%d oifname != \"%s\" masquerade\n", project,
			addr_format(nets[i].subnet, a, sizeof(a)), nets[i].prefix, nets[i].bridge);
	if (fclose(f) != 0)
		return ce_error_set(err, ENOMEM, "nat table");
	return nft_run(buf, "nat table", NULL, err);
}

/* Does the listing of a table carry the table comment `mark` (one tab in, a line of its own)? */
static bool has_mark(const char *listing, const char *mark)
{
	char line[160];

	snprintf(line, sizeof(line), "\n\tcomment \"%s\"\n", mark);
	return strstr(listing, line) != NULL;
}

int net_nat_remove(const char *project, const char *mark, struct ce_error *err)
{
	_cleanup_free_ char *listing = NULL;
	char cmds[256];
	struct ce_error why = { 0 };

	if (nft_dl_load(err) < 0)
		return ce_error_wrap(err, "remove nat table");
	snprintf(cmds, sizeof(cmds), "list table ip cengine-%s\n", project);
	if (nft_run(cmds, "list nat table", &listing, &why) < 0)
		return 0;	/* no such table (or nothing to list it with): gone */
	if (!has_mark(listing, mark)) {
		ce_error_set(err, 0, "nft table ip cengine-%s does not carry the comment \"%s\"", project, mark);
		err->code = EPERM;
		return 1;
	}
	/* "add" first makes "delete" succeed when the table went meanwhile */
	snprintf(cmds, sizeof(cmds), "add table ip cengine-%s\ndelete table ip cengine-%s\n", project, project);
	return nft_run(cmds, "remove nat table", NULL, err);
}

int net_nat_available(struct ce_error *err)
{
	return nft_dl_load(err);
}
