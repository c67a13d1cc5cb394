/* SPDX-License-Identifier: MIT */
/* dnsfiles.c: the container's /etc/resolv.conf from dns and dns_search, its extra_hosts lines for /etc/hosts. */
#include "runtime/inside/dnsfiles.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/inside/resolve.h"
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
