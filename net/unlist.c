/* SPDX-License-Identifier: MIT */
/* net/unlist.c: delete a link group in a child and return once the kernel announced every link gone. */
#include "net/nl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <net/if.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * An RTM_DELLINK batch closes its links (announcing each on RTNLGRP_LINK
 * without IFF_UP), unlists them all at once, and later announces them deleted;
 * but the request returns only after synchronize_net() and the rcu_barrier()
 * of netdev_run_todo() (20-40 ms here, however few links). A child sends the
 * request and finishes that wait on its own; the caller returns as soon as
 * every member was announced closed or deleted and is no longer found by
 * index (unlisted), or when the child answered.
 */

#define MONITOR_RCVBUF (4 << 20)	/* ~1.5 KiB an announcement: room for a few thousand */
#define UNLIST_POLL_MS 1

struct unlist_watch {
	uint32_t group;
	const int *ifindex;
	bool *announced;
	size_t members, left;
};

static void mark(struct unlist_watch *w, int ifindex)
{
	for (size_t i = 0; i < w->members; i++)
		if (w->ifindex[i] == ifindex && !w->announced[i]) {
			w->announced[i] = true;
			w->left--;
			return;
		}
}

/* A member closed (RTM_NEWLINK without IFF_UP) or deleted (RTM_DELLINK); generic (AF_UNSPEC) only. */
static int on_announcement(struct nl_msg *msg, void *arg)
{
	struct unlist_watch *w = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi = nlmsg_data(h);
	bool gone;

	if ((h->nlmsg_type != RTM_DELLINK && h->nlmsg_type != RTM_NEWLINK) || ifi->ifi_family != AF_UNSPEC ||
	    nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return NL_SKIP;
	gone = h->nlmsg_type == RTM_DELLINK || !(ifi->ifi_flags & IFF_UP);
	if (gone && tb[IFLA_GROUP] && nla_get_u32(tb[IFLA_GROUP]) == w->group)
		mark(w, ifi->ifi_index);
	return NL_OK;
}

static int monitor_open(struct nl_sock **out, struct unlist_watch *w, struct ce_error *err)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = nl_socket_alloc();
	int rc;

	if (!sk)
		return ce_error_set(err, ENOMEM, "link monitor");
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_announcement, w);
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (rc == 0)
		rc = nl_socket_add_membership(sk, RTNLGRP_LINK);
	if (rc == 0)
		rc = nl_socket_set_buffer_size(sk, MONITOR_RCVBUF, 0);
	if (rc < 0)
		return netnl_error(err, rc, "link monitor");
	nl_socket_set_nonblocking(sk);
	*out = steal_pointer(&sk);
	return 0;
}

/* The child: its own socket, the request, the answer on `answer_fd` ("" or the error). */
static __attribute__((noreturn)) void delete_child(uint32_t group, int answer_fd)
{
	struct net_ctx ctx = { .ioctl_fd = -1 };
	struct ce_error err = { 0 };

	signal(SIGPIPE, SIG_IGN);	/* the parent may be gone before the answer */
	if (answer_fd > 3)
		syscall(SYS_close_range, 3, answer_fd - 1, 0);	/* no lock or journal outlives the parent */
	syscall(SYS_close_range, answer_fd + 1, ~0U, 0);
	if (netnl_socket(&ctx.sk, &err) == 0)
		netnl_delete_group(&ctx, group, &err);
	if (write(answer_fd, err.msg, strlen(err.msg) + 1) < 0)
		_exit(1);
	_exit(err.code ? 1 : 0);
}

/* The child's answer: 0, or -1 with its error. */
static int read_answer(int fd, struct ce_error *err)
{
	char msg[CE_ERROR_MAX];
	ssize_t n = read(fd, msg, sizeof(msg) - 1);

	if (n <= 0)
		return ce_error_set(err, EPIPE, "delete link group: the deleting process died");
	msg[n] = '\0';
	if (!msg[0])
		return 0;
	return ce_error_set(err, 0, "%s", msg);
}

/* Is any member still found by index? The announcements come just before the
 * unlisting; SIOCGIFNAME (if_indextoname) looks under RCU, where a netlink
 * RTM_GETLINK would wait for the RTNL the deleting child holds. */
static bool any_listed(const struct unlist_watch *w)
{
	char name[IF_NAMESIZE];

	for (size_t i = 0; i < w->members; i++)
		if (if_indextoname((unsigned int)w->ifindex[i], name))
			return true;
	return false;
}

/* 1 once every member is announced and unlisted, else the child's answer (0 or -1). */
static int wait_gone(struct nl_sock *mon, int answer_fd, struct unlist_watch *w,
		     struct ce_error *err)
{
	struct pollfd p[2] = { { .fd = nl_socket_get_fd(mon), .events = POLLIN },
			       { .fd = answer_fd, .events = POLLIN } };

	for (;;) {
		if (!w->left && !any_listed(w))
			return 1;
		if (poll(p, 2, w->left ? -1 : UNLIST_POLL_MS) < 0) {
			if (errno == EINTR)
				continue;
			return ce_error_set(err, errno, "wait for links to go");
		}
		if (p[1].revents)
			return read_answer(answer_fd, err);
		if (p[0].revents && nl_recvmsgs_default(mon) == -NLE_NOMEM)	/* ENOBUFS: lost some */
			p[0].fd = -1;	/* the child's answer decides */
	}
}

int netnl_delete_group_detached(struct net_ctx *ctx, uint32_t group, const int *ifindex, size_t members,
				struct ce_error *err)
{
	_cleanup_free_ bool *announced = calloc(members ? members : 1, sizeof(*announced));
	_cleanup_(nl_socket_freep) struct nl_sock *mon = NULL;
	struct unlist_watch w = { .group = group, .ifindex = ifindex, .announced = announced,
				  .members = members, .left = members };
	int answer[2], rc;
	pid_t pid;

	if (!announced)
		return ce_error_set(err, ENOMEM, "delete link group %u", group);
	if (monitor_open(&mon, &w, err) < 0)
		return -1;
	if (pipe2(answer, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "pipe");
	pid = fork();
	if (pid < 0) {
		close(answer[0]), close(answer[1]);
		return netnl_delete_group(ctx, group, err);	/* the slow way, still correct */
	}
	if (pid == 0)
		delete_child(group, answer[1]);
	close(answer[1]);
	rc = wait_gone(mon, answer[0], &w, err);
	close(answer[0]);
	if (rc != 1)	/* the child answered: reap it now */
		waitpid(pid, NULL, 0);
	return rc < 0 ? -1 : 0;
}
