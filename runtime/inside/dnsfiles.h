/* SPDX-License-Identifier: MIT */
/* dnsfiles.h: what dns, dns_search and extra_hosts put into a container's /etc/resolv.conf and /etc/hosts. */
#pragma once

#include <stddef.h>

#include "model/project.h"

/* The text of /etc/resolv.conf for svc, or NULL when it sets neither dns nor dns_search (the tree's
 * file stays). With dns_search alone the nameserver and options lines of the tree's own regular
 * file (ROOT: the tree's root fd) are kept. NULL with *oom set when out of memory. */
char *dnsfiles_resolv(int root, const struct service_opts *svc, int *oom);
/* Bytes extra_hosts adds to /etc/hosts, and those lines appended at buf (room: len). */
size_t dnsfiles_hosts_len(const struct service_opts *svc);
size_t dnsfiles_hosts_append(char *buf, size_t len, const struct service_opts *svc);
