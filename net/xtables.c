/* SPDX-License-Identifier: MIT */
/* net/xtables.c: allow rules in iptables-legacy's filter table (x_tables) through libip4tc and libip6tc, dlopen()ed, under iptables' own lock. */
#include "net/xt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <linux/netfilter/xt_comment.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "util/cleanup.h"
#include "util/lib_dl.h"

/* Why this is safe: x_tables takes only a whole table at a time (libiptc reads it, changes its
 * copy, writes it back), so a writer that slipped in between would lose its change. Every
 * iptables-legacy command (dockerd's, ufw's, a user's) holds the xtables lock (flock on
 * /run/xtables.lock, or $XTABLES_LOCKFILE) from its read to its write; so does cengine here. */
#define XT_LOCK_DEFAULT "/run/xtables.lock"

struct xtc_handle;

/* The libiptc functions cengine calls; ip6tc's have the same shapes with struct ip6t_entry. */
struct xt_fns {
	struct xtc_handle *(*init)(const char *table);
	void (*free)(struct xtc_handle *h);
	int (*is_chain)(const char *chain, struct xtc_handle *h);
	const void *(*first_rule)(const char *chain, struct xtc_handle *h);
	const void *(*next_rule)(const void *prev, struct xtc_handle *h);
	int (*insert)(const char *chain, const void *e, unsigned num, struct xtc_handle *h);
	int (*delete_num)(const char *chain, unsigned num, struct xtc_handle *h);
	int (*commit)(struct xtc_handle *h);
	const char *(*strerror)(int err);
};

static struct xt_fns fns[2];
#define SYM(fam, prefix, fn) { prefix #fn, (void **)&fns[fam].fn }
#define SYMS(fam, p) { SYM(fam, p, init), SYM(fam, p, free), SYM(fam, p, is_chain), \
	{ p "first_rule", (void **)&fns[fam].first_rule }, { p "next_rule", (void **)&fns[fam].next_rule }, \
	{ p "insert_entry", (void **)&fns[fam].insert }, { p "delete_num_entry", (void **)&fns[fam].delete_num }, \
	SYM(fam, p, commit), SYM(fam, p, strerror) }
static const struct lib_dl_sym syms4[] = SYMS(0, "iptc_");
static const struct lib_dl_sym syms6[] = SYMS(1, "ip6tc_");

/* Per family: the library, the entry's size and where its fields are. */
static struct xt_family {
	struct lib_dl lib;
	size_t entry_size, target_offset_at, next_offset_at;
} families[2] = {
	{ { "libip4tc", "libip4tc.so.2", "libip4tc2", "allow rules in iptables-legacy's filter table", syms4,
	    LIB_DL_N_SYMS(syms4), NULL },
	  sizeof(struct ipt_entry), offsetof(struct ipt_entry, target_offset), offsetof(struct ipt_entry, next_offset) },
	{ { "libip6tc", "libip6tc.so.2", "libip6tc2", "allow rules in ip6tables-legacy's filter table", syms6,
	    LIB_DL_N_SYMS(syms6), NULL },
	  sizeof(struct ip6t_entry), offsetof(struct ip6t_entry, target_offset), offsetof(struct ip6t_entry, next_offset) },
};

int net_xt_available(bool v6, struct ce_error *err)
{
	return lib_dl_load(&families[v6].lib, err);
}

/* ---- the lock and the table ---- */

static int xt_lock(struct ce_error *err)
{
	const char *path = getenv("XTABLES_LOCKFILE");
	int fd = open(path && *path ? path : XT_LOCK_DEFAULT, O_CREAT | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0)
		return ce_error_set(err, errno, "the xtables lock %s", path && *path ? path : XT_LOCK_DEFAULT);
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return ce_error_set(err, errno, "the xtables lock");
	}
	return fd;
}

/* Table filter of family v6, read under the lock (*lock; with lock NULL, only read: nothing written
 * back); NULL with err. */
static struct xtc_handle *xt_open(bool v6, int *lock, struct ce_error *err)
{
	struct xtc_handle *h;
	int none = -1;

	if (!lock)
		lock = &none;
	if (net_xt_available(v6, err) < 0 || (lock != &none && (*lock = xt_lock(err)) < 0))
		return NULL;
	h = fns[v6].init("filter");
	if (!h) {
		ce_error_set(err, errno, "%s filter: %s", v6 ? "ip6tables-legacy" : "iptables-legacy",
			     fns[v6].strerror(errno));
		if (*lock >= 0)
			close(*lock);
	}
	return h;
}

/* Write the table back (commit: 1 when something changed), free it, release the lock. */
static int xt_close(bool v6, struct xtc_handle *h, int lock, bool commit, struct ce_error *err)
{
	int rc = 0;

	if (commit && !fns[v6].commit(h))
		rc = ce_error_set(err, errno, "%s filter: commit: %s", v6 ? "ip6tables-legacy" : "iptables-legacy",
				  fns[v6].strerror(errno));
	fns[v6].free(h);
	if (lock >= 0)
		close(lock);
	return rc;
}

int net_xt_chain(bool v6, bool forward, char chain[32], struct ce_error *err)
{
	struct xtc_handle *h = xt_open(v6, NULL, err);	/* a look: no lock, nothing written */

	if (!h)
		return -1;
	snprintf(chain, 32, "%s", !forward ? "INPUT" : fns[v6].is_chain("DOCKER-USER", h) ? "DOCKER-USER" : "FORWARD");
	return xt_close(v6, h, -1, false, err);
}

/* ---- one rule: the entry, a comment match, ACCEPT ---- */

#define RULE_MAX 1024

/* After the entry's own bytes at buf: the comment match and the standard target; its size. */
static size_t tail(const struct xt_family *f, unsigned char *buf, const char *mark)
{
	size_t m = XT_ALIGN(sizeof(struct xt_entry_match) + sizeof(struct xt_comment_info));
	size_t t = XT_ALIGN(sizeof(struct xt_standard_target));
	struct xt_entry_match *match = (struct xt_entry_match *)(buf + f->entry_size);
	struct xt_comment_info *c = (struct xt_comment_info *)match->data;
	struct xt_standard_target *target = (struct xt_standard_target *)(buf + f->entry_size + m);
	uint16_t to = (uint16_t)(f->entry_size + m), next = (uint16_t)(f->entry_size + m + t);

	match->u.user.match_size = (uint16_t)m;
	snprintf(match->u.user.name, sizeof(match->u.user.name), "%s", "comment");
	snprintf(c->comment, sizeof(c->comment), "%s", mark);
	target->target.u.user.target_size = (uint16_t)t;
	snprintf(target->target.u.user.name, sizeof(target->target.u.user.name), "%s", "ACCEPT");
	memcpy(buf + f->target_offset_at, &to, sizeof(to));
	memcpy(buf + f->next_offset_at, &next, sizeof(next));
	return next;
}

/* An interface name and its exact-match mask (the name and its NUL). */
static void iface(char name[IFNAMSIZ], unsigned char mask[IFNAMSIZ], const char *s)
{
	if (!s)
		return;
	snprintf(name, IFNAMSIZ, "%s", s);
	memset(mask, 0xff, strlen(name) + 1);
}

static void entry4(unsigned char *buf, const char *in, const char *out, uint32_t dst)
{
	struct ipt_entry *e = (struct ipt_entry *)buf;

	iface(e->ip.iniface, e->ip.iniface_mask, in);
	iface(e->ip.outiface, e->ip.outiface_mask, out);
	if (dst) {
		e->ip.dst.s_addr = htonl(dst);
		e->ip.dmsk.s_addr = 0xffffffffu;
	}
}

static void entry6(unsigned char *buf, const char *in, const char *out, const uint8_t *dst6)
{
	struct ip6t_entry *e = (struct ip6t_entry *)buf;

	iface(e->ipv6.iniface, e->ipv6.iniface_mask, in);
	iface(e->ipv6.outiface, e->ipv6.outiface_mask, out);
	if (dst6) {
		memcpy(&e->ipv6.dst, dst6, 16);
		memset(&e->ipv6.dmsk, 0xff, 16);
	}
}

/* Insert one rule at the top of chain: from `in` (NULL: any) to `out`, to dst/dst6 when given. */
static int rule(bool v6, struct xtc_handle *h, const char *chain, const char *in, const char *out, uint32_t dst,
		const uint8_t *dst6, const char *mark, struct ce_error *err)
{
	_Alignas(8) unsigned char buf[RULE_MAX] = { 0 };

	if (v6)
		entry6(buf, in, out, dst6);
	else
		entry4(buf, in, out, dst);
	tail(&families[v6], buf, mark);
	if (!fns[v6].insert(chain, buf, 0, h))
		return ce_error_set(err, errno, "%s filter %s: insert: %s", v6 ? "ip6tables-legacy" : "iptables-legacy",
				    chain, fns[v6].strerror(errno));
	return 0;
}

/* The same rules as the nftables chains get (net/hostfw.c), for one network. */
static int allow_net(bool v6, struct xtc_handle *h, const struct net_hostfw_chain *c, const struct net_filter_net *n,
		     const char *mark, struct ce_error *err)
{
	static const uint8_t zero[16];

	if (c->forward && !n->nat)
		return rule(v6, h, c->chain, n->bridge, n->bridge, 0, NULL, mark, err);
	if (c->forward)
		return rule(v6, h, c->chain, n->bridge, NULL, 0, NULL, mark, err) < 0 ? -1 :
		       rule(v6, h, c->chain, NULL, n->bridge, 0, NULL, mark, err);
	if (!v6 && n->gateway)
		return rule(v6, h, c->chain, n->bridge, NULL, n->gateway, NULL, mark, err);
	if (v6 && memcmp(n->gateway6, zero, 16))
		return rule(v6, h, c->chain, n->bridge, NULL, 0, n->gateway6, mark, err);
	return 0;
}

int net_xt_allow(const struct net_hostfw_chain *c, const struct net_filter *flt, const char *mark,
		 struct ce_error *err)
{
	bool v6 = !strcmp(c->family, "legacy6");
	int lock, rc = 0;
	struct xtc_handle *h = xt_open(v6, &lock, err);

	if (!h)
		return -1;
	for (size_t i = 0; i < flt->n_nets && rc == 0; i++)
		if (flt->nets[i].hostfw)
			rc = allow_net(v6, h, c, &flt->nets[i], mark, err);
	if (rc < 0) {
		xt_close(v6, h, lock, false, err);
		return -1;
	}
	return xt_close(v6, h, lock, true, err);
}

/* ---- removal: the rules whose comment match says mark ---- */

/* The rule's comment match (NUL-terminated into buf), or NULL. */
static const char *comment_of(const struct xt_family *f, const unsigned char *e, char buf[XT_MAX_COMMENT_LEN + 1])
{
	uint16_t to;

	memcpy(&to, e + f->target_offset_at, sizeof(to));
	for (size_t off = f->entry_size; off + sizeof(struct xt_entry_match) <= to;) {
		const struct xt_entry_match *m = (const struct xt_entry_match *)(e + off);

		if (m->u.user.match_size < sizeof(*m))
			return NULL;
		if (!strcmp(m->u.user.name, "comment")) {
			snprintf(buf, XT_MAX_COMMENT_LEN + 1, "%.*s", XT_MAX_COMMENT_LEN,
				 ((const struct xt_comment_info *)m->data)->comment);
			return buf;
		}
		off += m->u.user.match_size;
	}
	return NULL;
}

static bool has_mark(const struct xt_family *f, const unsigned char *e, const char *mark)
{
	char buf[XT_MAX_COMMENT_LEN + 1];
	const char *c = comment_of(f, e, buf);

	return c && !strcmp(c, mark);
}

int net_xt_comments(bool v6, const char *chain, void (*each)(const char *comment, void *ctx), void *ctx,
		    struct ce_error *err)
{
	char buf[XT_MAX_COMMENT_LEN + 1];
	struct xtc_handle *h;
	const char *c;

	if (!net_xt_loaded(v6))
		return 0;
	h = xt_open(v6, NULL, err);	/* a look: no lock, nothing written */
	if (!h)
		return -1;
	for (const void *e = fns[v6].is_chain(chain, h) ? fns[v6].first_rule(chain, h) : NULL; e;
	     e = fns[v6].next_rule(e, h))
		if ((c = comment_of(&families[v6], e, buf)))
			each(c, ctx);
	return xt_close(v6, h, -1, false, err);
}

int net_xt_remove(bool v6, const char *chain, const char *mark, struct ce_error *err)
{
	unsigned nums[256], n = 0, k = 0;
	int lock;
	struct xtc_handle *h;

	if (!net_xt_loaded(v6))
		return 0;	/* no table: no rule of ours either (and none is made by asking) */
	h = xt_open(v6, &lock, err);
	if (!h)
		return -1;
	if (!fns[v6].is_chain(chain, h))
		return xt_close(v6, h, lock, false, err);	/* gone (the firewall was reloaded): nothing of ours */
	for (const void *e = fns[v6].first_rule(chain, h); e && n < 256; e = fns[v6].next_rule(e, h), k++)
		if (has_mark(&families[v6], e, mark))
			nums[n++] = k;
	for (unsigned i = n; i-- > 0;)	/* from the last: the numbers before stay */
		if (!fns[v6].delete_num(chain, nums[i], h)) {
			ce_error_set(err, errno, "%s filter %s: delete rule %u: %s", v6 ? "ip6tables-legacy" :
				     "iptables-legacy", chain, nums[i], fns[v6].strerror(errno));
			xt_close(v6, h, lock, false, err);
			return -1;
		}
	return xt_close(v6, h, lock, n > 0, err);
}
