/* SPDX-License-Identifier: MIT */
/* dnsfiles.h: what dns, dns_search and extra_hosts put into a container's /etc/resolv.conf and /etc/hosts. */
#pragma once

#include <stddef.h>

#include "model/project.h"

/* The text of /etc/resolv.conf for svc, or NULL when it sets neither dns nor dns_search (the tree's
 * file stays). With dns_search alone the nameserver and options lines of the tree's own regular
 * file (ROOT: the tree's root fd) are kept. NULL with *oom set when out of memory. */
char *dnsfiles_resolv(int root, const struct service_opts *svc, int *oom);
/* The generated lines of every container's /etc/hosts in project p (localhost; per container its first
 * interface's IPv4 and IPv6 address, or a links-only router's first link end's, with its name and
 * hostname), built once by up before its containers are cloned; malloc'ed, NULL: out of memory. */
char *dnsfiles_hosts_names(const struct project *p);
/* Bytes extra_hosts adds to /etc/hosts, and those lines appended at buf (room: len). */
size_t dnsfiles_hosts_len(const struct service_opts *svc);
size_t dnsfiles_hosts_append(char *buf, size_t len, const struct service_opts *svc);
