/* SPDX-License-Identifier: MIT */
/* dnsfiles.c: the container's /etc/resolv.conf from dns and dns_search, the /etc/hosts lines of a project's names and a container's extra_hosts. */
#include "runtime/inside/dnsfiles.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/inside/resolve.h"
#include "util/addr.h"
#include "util/cleanup.h"

#define RESOLV_KEEP_MAX 65536	/* bytes of the tree's own resolv.conf read for its nameservers */

/* The nameserver and options lines of the tree's /etc/resolv.conf, when it is a regular file
 * (never through a symlink: /etc resolved inside the tree, the file opened O_NOFOLLOW). */
static void keep_nameservers(int root, FILE *out)
{
	_cleanup_close_ int etc = resolve_dir(root, "etc", false, NULL), fd = -1;
	_cleanup_fclose_ FILE *in = NULL;
	char line[512];
	size_t total = 0;

	struct stat st;

	if (etc < 0 || (fd = openat(etc, "resolv.conf", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	if (!(in = fdopen(fd, "r")))
		return;
	fd = -1;	/* in has it */
	while (fgets(line, sizeof(line), in) && (total += strlen(line)) < RESOLV_KEEP_MAX)
		if (!strncmp(line, "nameserver", 10) || !strncmp(line, "options", 7))
			fputs(line, out);
}

char *dnsfiles_resolv(int root, const struct service_opts *svc, int *oom)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	*oom = 0;
	if (!svc->dns && !svc->dns_search)
		return NULL;
	if (!(out = open_memstream(&text, &len))) {
		*oom = 1;
		return NULL;
	}
	fputs("# written by cengine from dns and dns_search\n", out);
	for (char **d = svc->dns; d && *d; d++)
		fprintf(out, "nameserver %s\n", *d);
	if (!svc->dns)
		keep_nameservers(root, out);
	if (svc->dns_search) {
		fputs("search", out);
		for (char **d = svc->dns_search; *d; d++)
			fprintf(out, " %s", *d);
		fputc('\n', out);
	}
	if (fclose(out) != 0) {
		free(text);
		*oom = 1;
		return NULL;
	}
	return text;
}

size_t dnsfiles_hosts_len(const struct service_opts *svc)
{
	size_t len = 0;

	for (char **h = svc->extra_hosts; h && *h; h++)
		len += strlen(*h) + 1;
	return len;
}

size_t dnsfiles_hosts_append(char *buf, size_t len, const struct service_opts *svc)
{
	size_t off = 0;

	for (char **h = svc->extra_hosts; h && *h && off < len; h++) {
		int n = snprintf(buf + off, len - off, "%s\n", *h);

		off += n < 0 ? 0 : (size_t)n < len - off ? (size_t)n : len - off - 1;
	}
	return off;
}

/* One line per container, per family: its first interface's address, name and hostname. */
static size_t hosts_line(char *buf, size_t len, const char *addr, const struct container *o)
{
	int n = snprintf(buf, len, "%s\t%s%s%s\n", addr, o->name, strcmp(o->name, o->hostname) ? " " : "",
			 strcmp(o->name, o->hostname) ? o->hostname : "");

	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* Per container, the IPv4 address of its first link end that has one (0: none); one pass over the links. */
static uint32_t *link_addrs(const struct project *p)
{
	uint32_t *v = calloc(p->n_containers + 1, sizeof(*v));

	for (size_t l = 0; v && l < p->n_links; l++)
		for (int e = 0; e < 2; e++) {
			const struct link_end *le = &p->links[l].end[e];

			if (!v[le->container])
				v[le->container] = le->addr;
		}
	return v;
}

char *dnsfiles_hosts_names(const struct project *p)
{
	/* 2 lines per container (IPv4, IPv6), each at most address + name + hostname */
	size_t len = 128 + p->n_containers * 2 * (INET6_ADDRSTRLEN + CE_NAME_MAX + CE_HOSTNAME_MAX + 4);
	_cleanup_free_ uint32_t *links = link_addrs(p);
	char *hosts = links ? malloc(len) : NULL, ip[INET6_ADDRSTRLEN];
	size_t off;

	if (!hosts)
		return NULL;
	off = (size_t)snprintf(hosts, len, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	for (size_t i = 0; i < p->n_containers; i++) {
		const struct container *o = &p->containers[i];

		if (!o->n_ifaces && links[i])	/* a router of a links-only lab: its first link end's address */
			off += hosts_line(hosts + off, len - off, addr_format(links[i], ip, sizeof(ip)), o);
		if (!o->n_ifaces)
			continue;
		off += hosts_line(hosts + off, len - off, addr_format(o->ifaces[0].addr, ip, sizeof(ip)), o);
		if (memcmp(o->ifaces[0].addr6, (uint8_t[16]){ 0 }, 16) && inet_ntop(AF_INET6, o->ifaces[0].addr6, ip, sizeof(ip)))
			off += hosts_line(hosts + off, len - off, ip, o);
	}
	return hosts;
}
