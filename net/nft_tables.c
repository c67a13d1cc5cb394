/* SPDX-License-Identifier: MIT */
/* net/nft_tables.c: a project's marked nftables tables checked and deleted with libnftnl and libmnl (no libnftables). */
#include "net/nft.h"

#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/nftnl_dl.h"
#include "util/cleanup.h"

/*
 * `down` needs two things of nftables: whether each table of the project
 * carries its mark (the table's comment) and, for those that do, their
 * deletion in one transaction. libnftables does each by loading its whole
 * cache (every set element of the table) in a new context, ~1.5 ms apiece
 * plus its dlopen(); here they are one NFT_MSG_GETTABLE a table and one batch,
 * built and parsed by libnftnl, sent and answered through libmnl.
 */

#define RELEASE_STACK (64 << 10)
#define ANSWER_TIMEOUT_S 10

CE_DEFINE_CLEANUP(struct nftnl_table, lib_dl_nftnl_table_free, nftnl_table_freep)

/* What read_answers() waits for: the answer to message `last` (or to `first` when the batch failed). */
struct answers {
	uint32_t first, last;
	int rc;			/* the first negative errno the kernel gave */
	char *comment;		/* a NEWTABLE answer's comment, when not NULL */
	size_t size;
};

/* The comment of a table's userdata and where that userdata ends (libnftnl does not check the TLV lengths). */
struct comment {
	const char *end;
	char *out;
	size_t size;
};

static int family_of(const char *family)
{
	static const struct { const char *name; int nfproto; } known[] = {
		{ "ip", NFPROTO_IPV4 }, { "ip6", NFPROTO_IPV6 }, { "inet", NFPROTO_INET },
		{ "bridge", NFPROTO_BRIDGE }, { "arp", NFPROTO_ARP }, { "netdev", NFPROTO_NETDEV },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcmp(family, known[i].name))
			return known[i].nfproto;
	return -1;
}

/* One userdata TLV: the first non-empty NFTNL_UDATA_TABLE_COMMENT goes to c->out (when it fits) and ends the walk. */
static int comment_cb(const struct nftnl_udata *attr, void *data)
{
	struct comment *c = data;
	const char *value;
	size_t len;

	if ((const char *)attr + 2 > c->end)	/* the TLV's header: type and length bytes */
		return -1;
	value = lib_dl_nftnl_udata_get(attr);
	len = lib_dl_nftnl_udata_len(attr);
	if (value + len > c->end)
		return -1;
	if (lib_dl_nftnl_udata_type(attr) != NFTNL_UDATA_TABLE_COMMENT || !len)
		return 0;
	len = strnlen(value, len);
	if (len < c->size)
		memcpy(c->out, value, len), c->out[len] = '\0';
	return -1;
}

/* A NEWTABLE answer: its comment into a->comment ("" without one). */
static int table_cb(const struct nlmsghdr *h, void *data)
{
	struct answers *a = data;
	_cleanup_(nftnl_table_freep) struct nftnl_table *t = NULL;
	struct comment c = { .out = a->comment, .size = a->size };
	const void *udata;
	uint32_t len = 0;

	if (h->nlmsg_type != ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE) || !a->comment)
		return MNL_CB_OK;
	a->comment[0] = '\0';
	if (!(t = lib_dl_nftnl_table_alloc()) || lib_dl_nftnl_table_nlmsg_parse(h, t) < 0)
		return MNL_CB_OK;	/* as a table without a comment: it stays */
	udata = lib_dl_nftnl_table_get_data(t, NFTNL_TABLE_USERDATA, &len);
	if (udata && len) {
		c.end = (const char *)udata + len;
		lib_dl_nftnl_udata_parse(udata, len, comment_cb, &c);
	}
	return MNL_CB_OK;
}

/* An NLMSG_ERROR (an ack is one with error 0): the first error is kept; the one of `last` ends the answers. */
static int error_cb(const struct nlmsghdr *h, void *data)
{
	const struct nlmsgerr *e = lib_dl_mnl_nlmsg_get_payload(h);
	struct answers *a = data;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (h->nlmsg_seq < a->first || h->nlmsg_seq > a->last)
		return MNL_CB_OK;
	if (!a->rc)
		a->rc = e->error;
	return h->nlmsg_seq == a->last || (a->rc && h->nlmsg_seq == a->first) ? MNL_CB_STOP : MNL_CB_OK;
}

/* Read answers until a's last one. Returns 0, or the first negative errno the kernel (or the socket) gave. */
static int read_answers(struct mnl_socket *nl, struct answers *a)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = error_cb };	/* libmnl takes it without const */
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));

	for (;;) {
		ssize_t n = lib_dl_mnl_socket_recvfrom(nl, buf, sizeof(buf));
		int rc;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		rc = lib_dl_mnl_cb_run2(buf, (size_t)n, 0, lib_dl_mnl_socket_get_portid(nl), table_cb, a, ctl,
					NLMSG_MIN_TYPE);
		if (rc < 0)
			return errno ? -errno : -EPROTO;
		if (rc == MNL_CB_STOP)
			return a->rc;
	}
}

static struct mnl_socket *nfnl_open(struct ce_error *err)
{
	struct mnl_socket *nl = lib_dl_mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	struct timeval timeout = { .tv_sec = ANSWER_TIMEOUT_S };
	int one = 1;

	if (!nl || lib_dl_mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ce_error_set(err, errno, "nftables: netlink socket");
		if (nl)
			lib_dl_mnl_socket_close(nl);
		return NULL;
	}
	lib_dl_mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));	/* errors without the request */
	/* never wait forever for an answer */
	setsockopt(lib_dl_mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	return nl;
}

/* 1 with the comment of table t of family in comment ("" without one), 0 when there is none, -1 (errno). */
static int get_comment(struct mnl_socket *nl, const struct nftnl_table *t, int family, char *comment, size_t size)
{
	char req[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *h = lib_dl_nftnl_nlmsg_build_hdr(req, NFT_MSG_GETTABLE, (uint16_t)family, NLM_F_ACK, 1);
	struct answers a = { .first = 1, .last = 1, .comment = comment, .size = size };
	int rc;

	comment[0] = '\0';
	lib_dl_nftnl_table_nlmsg_build_payload(h, t);
	if (lib_dl_mnl_socket_sendto(nl, h, h->nlmsg_len) < 0)
		return -1;
	rc = read_answers(nl, &a);
	if (rc == -ENOENT)
		return 0;
	errno = -rc;
	return rc ? -1 : 1;
}

/* Append a message of type (an NFT_MSG_*, or the batch's begin or end when t is NULL) to b; false when full. */
static bool put_msg(struct mnl_nlmsg_batch *b, const struct nftnl_table *t, int type, int family, uint16_t flags,
		    uint32_t seq)
{
	char *at = lib_dl_mnl_nlmsg_batch_current(b);

	if (t)
		lib_dl_nftnl_table_nlmsg_build_payload(lib_dl_nftnl_nlmsg_build_hdr(at, (uint16_t)type, (uint16_t)family,
										   flags, seq), t);
	else if (type == NFNL_MSG_BATCH_BEGIN)
		lib_dl_nftnl_batch_begin(at, seq);
	else
		lib_dl_nftnl_batch_end(at, seq);
	return lib_dl_mnl_nlmsg_batch_next(b);
}

/* One transaction: for each table "add" (a table that went meanwhile is no error), then delete. */
static int delete_tables(struct mnl_socket *nl, const struct nftnl_table *t, const int *family, size_t n)
{
	char req[2 * MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));	/* libmnl: twice the batch's limit */
	struct mnl_nlmsg_batch *b = lib_dl_mnl_nlmsg_batch_start(req, MNL_SOCKET_BUFFER_SIZE);
	struct answers a = { .first = 1 };
	uint32_t seq = 1;
	bool fits;
	int rc;

	if (!b)
		return -1;
	fits = put_msg(b, NULL, NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, 0, seq++);
	for (size_t i = 0; i < n; i++) {
		fits = fits && put_msg(b, t, NFT_MSG_NEWTABLE, family[i], NLM_F_CREATE | NLM_F_ACK, seq++);
		fits = fits && put_msg(b, t, NFT_MSG_DELTABLE, family[i], NLM_F_ACK, seq++);
	}
	fits = fits && put_msg(b, NULL, NFNL_MSG_BATCH_END, AF_UNSPEC, 0, seq);
	a.last = seq - 1;
	rc = !fits ? -E2BIG
		: lib_dl_mnl_socket_sendto(nl, lib_dl_mnl_nlmsg_batch_head(b), lib_dl_mnl_nlmsg_batch_size(b)) < 0
		? -errno : read_answers(nl, &a);
	lib_dl_mnl_nlmsg_batch_stop(b);
	errno = -rc;
	return rc ? -1 : 0;
}

/* The release of a netfilter socket after a transaction that deleted tables waits for
 * the kernel to free them (an RCU grace period, ~7 ms): a child sharing our memory
 * (no copy of it) and holding only that socket does the last close and exits. */
static int release_child(void *arg)
{
	int fd = (int)(intptr_t)arg;

	if (fd > 0)
		syscall(SYS_close_range, 0, fd - 1, 0);	/* no lock or journal outlives the parent */
	syscall(SYS_close_range, fd + 1, ~0U, 0);
	return 0;
}

static void release_detached(struct mnl_socket *nl)
{
	void *stack = mmap(NULL, RELEASE_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	/* the stack stays mapped: the child may run after we return (it is one small mapping a down) */
	if (stack != MAP_FAILED)
		clone(release_child, (char *)stack + RELEASE_STACK, CLONE_VM | SIGCHLD,
		      (void *)(intptr_t)lib_dl_mnl_socket_get_fd(nl));
	lib_dl_mnl_socket_close(nl);	/* the last reference, and its wait, only when the child could not start */
}

/* Check each family's table t and delete the marked ones; as nft_tables_remove_marked(). */
static int remove_marked(struct mnl_socket *nl, const struct nftnl_table *t, const char *const *families, size_t n,
			 const char *table, const char *mark, struct ce_error *err)
{
	int ours[8], refused = 0, rc = 0;
	size_t n_ours = 0;
	char comment[256];

	for (size_t i = 0; i < n && i < sizeof(ours) / sizeof(*ours) && !rc; i++) {
		int family = family_of(families[i]), got = family < 0 ? -1 : get_comment(nl, t, family, comment,
											sizeof(comment));

		if (got < 0)
			rc = ce_error_set(err, family < 0 ? EINVAL : errno, "nft table %s %s", families[i], table);
		else if (got && strcmp(comment, mark)) {
			ce_error_set(err, 0, "nft table %s %s does not carry the comment \"%s\"", families[i], table, mark);
			err->code = EPERM;
			refused = 1;	/* it stays; the others, when marked, still go */
		} else if (got)
			ours[n_ours++] = family;
	}
	if (!rc && n_ours && delete_tables(nl, t, ours, n_ours) < 0)
		rc = ce_error_set(err, errno, "remove nft table%s %s", n_ours > 1 ? "s" : "", table);
	if (n_ours && !rc)
		release_detached(nl);
	else
		lib_dl_mnl_socket_close(nl);
	return rc < 0 ? -1 : refused;
}

int nft_tables_remove_marked(const char *const *families, size_t n, const char *table, const char *mark,
			     struct ce_error *err)
{
	_cleanup_(nftnl_table_freep) struct nftnl_table *t = NULL;
	struct mnl_socket *nl;

	if (nftnl_dl_load(err) < 0)
		return ce_error_wrap(err, "remove nft table %s", table);
	if (!(t = lib_dl_nftnl_table_alloc()) || lib_dl_nftnl_table_set_str(t, NFTNL_TABLE_NAME, table) < 0)
		return ce_error_set(err, ENOMEM, "nft table %s", table);
	if (!(nl = nfnl_open(err)))
		return -1;
	return remove_marked(nl, t, families, n, table, mark, err);
}
