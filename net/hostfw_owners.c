/* SPDX-License-Identifier: MIT */
/* net/hostfw_owners.c: for gc, when no journal says: which projects have allow rules (comment cengine:<project>:hostfw) in the host's dropping chains. */
#include "net/net.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/nft.h"
#include "net/xt.h"
#include "util/cleanup.h"

#define MARK_HEAD "cengine:"
#define MARK_TAIL ":hostfw"

struct owners {
	struct net_hostfw_owner *v;
	size_t n, cap;
	const struct net_hostfw_chain *chain;	/* the chain being read */
	int rc;
};

/* The project of a comment "cengine:<project>:hostfw" (len bytes) into out; false when it is not one. */
static bool project_of(const char *c, size_t len, char out[NET_PROJECT_MAX + 1])
{
	size_t head = strlen(MARK_HEAD), tail = strlen(MARK_TAIL), plen;

	if (len <= head + tail || strncmp(c, MARK_HEAD, head) || strncmp(c + len - tail, MARK_TAIL, tail))
		return false;
	plen = len - head - tail;
	if (plen > NET_PROJECT_MAX || strspn(c + head, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") < plen)
		return false;
	memcpy(out, c + head, plen);
	out[plen] = '\0';
	return true;
}

/* The owner (project, o->chain) once. */
static void add(struct owners *o, const char *comment, size_t len)
{
	char project[NET_PROJECT_MAX + 1];

	if (!project_of(comment, len, project))
		return;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].project, project) && !memcmp(&o->v[i].chain, o->chain, sizeof(*o->chain)))
			return;
	if (o->n == o->cap) {
		struct net_hostfw_owner *v = realloc(o->v, (o->cap = o->cap ? 2 * o->cap : 8) * sizeof(*v));

		if (!v) {
			o->rc = -1;
			return;
		}
		o->v = v;
	}
	snprintf(o->v[o->n].project, sizeof(o->v[o->n].project), "%s", project);
	o->v[o->n++].chain = *o->chain;
}

static void add_comment(const char *comment, void *ctx)
{
	add(ctx, comment, strlen(comment));
}

/* The comments of an nftables chain's rules: ` comment "..."` at the end of a rule line. */
static int nft_owners(struct owners *o, struct ce_error *err)
{
	_cleanup_free_ char *listing = NULL;
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "list chain %s %s %s\n", o->chain->family, o->chain->table, o->chain->chain);
	if (nft_batch_list(cmd, "list host chain", &listing, err) < 0)
		return -1;
	for (const char *l = listing; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *c = strstr(l, " comment \""), *end = c ? strchr(c + 10, '"') : NULL;

		if (c && end && end < l + strcspn(l, "\n"))
			add(o, c + 10, (size_t)(end - (c + 10)));
	}
	return 0;
}

int net_hostfw_owners(struct net_hostfw_owner **out, size_t *n, struct ce_error *err)
{
	struct net_hostfw h;
	struct owners o = { 0 };

	*out = NULL, *n = 0;
	if (net_hostfw_inspect(&h, err) < 0)
		return -1;
	for (size_t i = 0; i < h.n_chains && o.rc == 0; i++) {
		o.chain = &h.chains[i];
		if (!strncmp(h.chains[i].family, "legacy", 6))
			o.rc = net_xt_comments(h.chains[i].family[6] == '6', h.chains[i].chain, add_comment, &o, err);
		else
			o.rc = nft_owners(&o, err);
	}
	if (o.rc < 0) {
		free(o.v);
		return err->msg[0] ? -1 : ce_error_set(err, ENOMEM, "host firewall rules");
	}
	*out = o.v;
	*n = o.n;
	return 0;
}
