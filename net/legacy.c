/* SPDX-License-Identifier: MIT */
/* net/legacy.c: the policies of iptables-legacy's filter table (x_tables), read with getsockopt; nothing is changed or loaded. */
#include "net/xt.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "util/cleanup.h"

/* ipt_getinfo and ip6t_getinfo, ipt_get_entries and ip6t_get_entries have the same layout; the
 * entries differ, so each family says where its target_offset is. */
struct family {
	const char *names;	/* the loaded tables of this netns */
	int domain, level, get_info, get_entries;
	size_t target_offset_at;
};

static const struct family families[] = {
	{ "/proc/net/ip_tables_names", AF_INET, IPPROTO_IP, IPT_SO_GET_INFO, IPT_SO_GET_ENTRIES,
	  offsetof(struct ipt_entry, target_offset) },
	{ "/proc/net/ip6_tables_names", AF_INET6, IPPROTO_IPV6, IP6T_SO_GET_INFO, IP6T_SO_GET_ENTRIES,
	  offsetof(struct ip6t_entry, target_offset) },
};

/* Is table filter loaded (listed)? Asking for a table that is not loads its module: never. */
static bool filter_loaded(const char *names)
{
	char buf[512];
	ssize_t n;
	int fd = open(names, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return !strncmp(buf, "filter\n", 7) || strstr(buf, "\nfilter\n");
}

/* The standard verdict of the entry at `offset` (a chain's policy is its underflow entry). */
static int verdict_at(const struct family *f, const struct ipt_get_entries *e, unsigned offset, int *verdict)
{
	const unsigned char *blob = (const unsigned char *)e->entrytable;
	uint16_t target_offset;
	struct xt_standard_target t;

	if ((size_t)offset + f->target_offset_at + sizeof(target_offset) > e->size)
		return -1;
	memcpy(&target_offset, blob + offset + f->target_offset_at, sizeof(target_offset));
	if ((size_t)offset + target_offset + sizeof(t) > e->size)
		return -1;
	memcpy(&t, blob + offset + target_offset, sizeof(t));
	if (strcmp(t.target.u.user.name, XT_STANDARD_TARGET))
		return -1;
	*verdict = t.verdict;
	return 0;
}

static int policy(const struct family *f, int fd, unsigned hook, int *verdict, struct ce_error *err)
{
	struct ipt_getinfo info = { .name = "filter" };
	socklen_t len = sizeof(info);
	_cleanup_free_ struct ipt_get_entries *e = NULL;

	if (getsockopt(fd, f->level, f->get_info, &info, &len) < 0)
		return errno == ENOENT ? 1 : ce_error_set(err, errno, "iptables-legacy: table filter");
	if (!(info.valid_hooks & (1U << hook)))
		return 1;
	len = (socklen_t)(sizeof(*e) + info.size);
	e = calloc(1, len);
	if (!e)
		return ce_error_set(err, ENOMEM, "iptables-legacy: table filter");
	strcpy(e->name, "filter");
	e->size = info.size;
	if (getsockopt(fd, f->level, f->get_entries, e, &len) < 0)
		return ce_error_set(err, errno, "iptables-legacy: table filter entries");
	if (verdict_at(f, e, info.underflow[hook], verdict) < 0)
		return ce_error_set(err, EPROTO, "iptables-legacy: table filter: no policy at its underflow");
	return 0;
}

bool net_xt_loaded(bool v6)
{
	return filter_loaded(families[v6].names);
}

int net_legacy_policy_drops(int family, bool forward, struct ce_error *err)
{
	const struct family *f = &families[family == AF_INET6];
	unsigned hook = forward ? NF_INET_FORWARD : NF_INET_LOCAL_IN;
	int verdict = 0, rc, fd;

	if (!filter_loaded(f->names))
		return 0;
	fd = socket(f->domain, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return ce_error_set(err, errno, "iptables-legacy: raw socket");
	rc = policy(f, fd, hook, &verdict, err);
	close(fd);
	if (rc)
		return rc < 0 ? -1 : 0;
	return verdict == -NF_DROP - 1;
}
