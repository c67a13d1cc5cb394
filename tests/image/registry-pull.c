/* SPDX-License-Identifier: MIT */
/* registry-pull.c: the tests' driver of registry_pull(): REF into the OCI layout DIR, one line on failure. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/registry.h"

static void progress(void *arg, const char *digest, uint64_t done, uint64_t total)
{
	if (done == total)
		fprintf(stderr, "%.19s: %llu bytes\n", digest, (unsigned long long)total);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "insecure", required_argument, NULL, 'i' }, { "timeout", required_argument, NULL, 't' },
		{ "auth-file", required_argument, NULL, 'a' }, { "ca-file", required_argument, NULL, 'c' },
		{ "arch", required_argument, NULL, 'A' }, { "variant", required_argument, NULL, 'V' },
		{ "progress", no_argument, NULL, 'p' }, { 0 },
	};
	const char *insecure[8];
	struct registry_opts o = { .insecure = insecure };
	struct ce_error err = { 0 };
	int c, fd;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'i' && o.n_insecure < 8)
			insecure[o.n_insecure++] = optarg;
		else if (c == 't')
			o.timeout = (unsigned)atoi(optarg);
		else if (c == 'a')
			o.auth_file = optarg;
		else if (c == 'c')
			o.ca_file = optarg;
		else if (c == 'A')
			o.arch = optarg;
		else if (c == 'V')
			o.variant = optarg;
		else if (c == 'p')
			o.progress = progress;
		else
			return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: registry-pull [--insecure HOST] [--timeout S] [--auth-file F] [--ca-file F] "
				"[--arch A] [--variant V] [--progress] REF DIR\n");
		return 2;
	}
	mkdir(argv[optind + 1], 0755);
	fd = open(argv[optind + 1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || registry_pull(argv[optind], fd, &o, &err) < 0) {
		fprintf(stderr, "registry-pull: %s\n", fd < 0 ? argv[optind + 1] : err.msg);
		return 1;
	}
	return 0;
}
