/* SPDX-License-Identifier: MIT */
/* net/nft_raw.c: a project's marked nftables tables checked and deleted by plain nfnetlink requests (no libnftables). */
#include "net/nft.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "util/cleanup.h"

/*
 * `down` needs two things of nftables: whether each table of the project
 * carries its mark (the table's comment) and, for those that do, their
 * deletion in one transaction. libnftables does each by loading its whole
 * cache (every set element of the table) in a new context, ~1.5 ms apiece
 * plus its dlopen(); here they are one NFT_MSG_GETTABLE a table and one batch.
 */

#define UDATA_TABLE_COMMENT 0	/* libnftnl's NFTNL_UDATA_TABLE_COMMENT: u8 type, u8 length, the text with its NUL */
#define REQ_MAX 1024
#define RELEASE_STACK (64 << 10)
#define ANSWER_TIMEOUT_S 10

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

/* Append one message (nfgenmsg, then the table's name unless NULL) to req; its sequence number is seq. */
static void put_msg(char *req, size_t *len, uint16_t type, uint16_t flags, int family, uint32_t seq, const char *name)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(req + *len);
	struct nfgenmsg *g = (struct nfgenmsg *)NLMSG_DATA(h);
	size_t n = NLMSG_LENGTH(sizeof(*g));

	memset(h, 0, NLMSG_SPACE(sizeof(*g)));
	*h = (struct nlmsghdr){ .nlmsg_type = type, .nlmsg_flags = NLM_F_REQUEST | flags, .nlmsg_seq = seq };
	*g = (struct nfgenmsg){ .nfgen_family = (uint8_t)family, .version = NFNETLINK_V0 };
	if (type == NFNL_MSG_BATCH_BEGIN || type == NFNL_MSG_BATCH_END)
		g->res_id = htons(NFNL_SUBSYS_NFTABLES);
	if (name) {
		struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(n));
		size_t s = strlen(name) + 1;

		a->nla_type = NFTA_TABLE_NAME;
		a->nla_len = (uint16_t)(NLA_HDRLEN + s);
		memcpy((char *)a + NLA_HDRLEN, name, s);
		memset((char *)a + NLA_HDRLEN + s, 0, NLA_ALIGN(a->nla_len) - a->nla_len);
		n = NLMSG_ALIGN(n) + NLA_ALIGN(a->nla_len);
	}
	h->nlmsg_len = (uint32_t)n;
	*len += NLMSG_ALIGN(n);
}

static uint16_t nft_type(int msg)
{
	return (uint16_t)((NFNL_SUBSYS_NFTABLES << 8) | msg);
}

/* The comment in a table's NFTA_TABLE_USERDATA (libnftnl's TLVs), "" without one. */
static void udata_comment(const unsigned char *u, size_t n, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i + 2 <= n && i + 2 + u[i + 1] <= n; i += 2 + (size_t)u[i + 1])
		if (u[i] == UDATA_TABLE_COMMENT && u[i + 1]) {
			size_t len = strnlen((const char *)u + i + 2, u[i + 1]);

			if (len < size)
				memcpy(out, u + i + 2, len), out[len] = '\0';
			return;
		}
}

/* A NEWTABLE answer: its comment into out. */
static void table_comment(const struct nlmsghdr *h, char *out, size_t size)
{
	size_t off = NLMSG_ALIGN(sizeof(struct nfgenmsg));

	out[0] = '\0';
	while (off + NLA_HDRLEN <= NLMSG_PAYLOAD(h, 0)) {
		const struct nlattr *a = (const struct nlattr *)((const char *)NLMSG_DATA(h) + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > NLMSG_PAYLOAD(h, 0))
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NFTA_TABLE_USERDATA)
			udata_comment((const unsigned char *)a + NLA_HDRLEN, a->nla_len - NLA_HDRLEN, out, size);
		off += NLA_ALIGN(a->nla_len);
	}
}

/* Read answers until the NLMSG_ERROR (an ack is one with error 0) of message `last`, or of an
 * earlier one that failed the batch; a NEWTABLE answer's comment goes to comment (may be NULL).
 * Returns 0, or the first negative errno the kernel gave. */
static int read_answers(int fd, uint32_t first, uint32_t last, char *comment, size_t size)
{
	char buf[8192] __attribute__((aligned(4)));
	int rc = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == nft_type(NFT_MSG_NEWTABLE) && comment)
				table_comment(h, comment, size);
			if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq < first || h->nlmsg_seq > last)
				continue;
			if (!rc)
				rc = ((const struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_seq == last || (rc && h->nlmsg_seq == first))
				return rc;
		}
	}
}

static int nfnl_open(struct ce_error *err)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	struct timeval timeout = { .tv_sec = ANSWER_TIMEOUT_S };
	int one = 1;

	if (fd < 0)
		return ce_error_set(err, errno, "nftables: netlink socket");
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));	/* errors without the request */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));	/* never wait forever for an answer */
	return fd;
}

/* 1 with the comment of table family/name in comment ("" without one), 0 when there is none, -1 (errno). */
static int get_comment(int fd, int family, const char *name, char *comment, size_t size)
{
	char req[REQ_MAX] __attribute__((aligned(4)));
	size_t len = 0;
	int rc;

	put_msg(req, &len, nft_type(NFT_MSG_GETTABLE), NLM_F_ACK, family, 1, name);
	if (send(fd, req, len, 0) < 0)
		return -1;
	rc = read_answers(fd, 1, 1, comment, size);
	if (rc == -ENOENT)
		return 0;
	errno = -rc;
	return rc ? -1 : 1;
}

/* One transaction: for each table "add" (a table that went meanwhile is no error), then delete. */
static int delete_tables(int fd, const int *family, size_t n, const char *name)
{
	char req[REQ_MAX] __attribute__((aligned(4)));
	size_t len = 0;
	uint32_t seq = 1;
	int rc;

	put_msg(req, &len, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, seq++, NULL);
	for (size_t i = 0; i < n; i++) {
		put_msg(req, &len, nft_type(NFT_MSG_NEWTABLE), NLM_F_CREATE | NLM_F_ACK, family[i], seq++, name);
		put_msg(req, &len, nft_type(NFT_MSG_DELTABLE), NLM_F_ACK, family[i], seq++, name);
	}
	put_msg(req, &len, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, seq, NULL);
	if (send(fd, req, len, 0) < 0)
		return -1;
	rc = read_answers(fd, 1, seq - 1, NULL, 0);
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

static void release_detached(int fd)
{
	void *stack = mmap(NULL, RELEASE_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	/* the stack stays mapped: the child may run after we return (it is one small mapping a down) */
	if (stack != MAP_FAILED)
		clone(release_child, (char *)stack + RELEASE_STACK, CLONE_VM | SIGCHLD, (void *)(intptr_t)fd);
	close(fd);	/* the last reference, and its wait, only when the child could not start */
}

int nft_tables_remove_marked(const char *const *families, size_t n, const char *table, const char *mark,
			     struct ce_error *err)
{
	int fd = nfnl_open(err), ours[8], refused = 0, rc = 0;
	size_t n_ours = 0;
	char comment[256];

	if (fd < 0)
		return -1;
	for (size_t i = 0; i < n && i < sizeof(ours) / sizeof(*ours) && !rc; i++) {
		int family = family_of(families[i]), got = family < 0 ? -1 : get_comment(fd, family, table, comment,
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
	if (!rc && n_ours && delete_tables(fd, ours, n_ours, table) < 0)
		rc = ce_error_set(err, errno, "remove nft table%s %s", n_ours > 1 ? "s" : "", table);
	if (n_ours && !rc)
		release_detached(fd);
	else
		close(fd);
	return rc < 0 ? -1 : refused;
}
