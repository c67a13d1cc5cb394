/* SPDX-License-Identifier: MIT */
/* fuzz_parser.c: libFuzzer target: any bytes as a .conf through parser_load() and its validation. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parser/parser.h"

static char dir[] = "/tmp/cengine-fuzz-XXXXXX";
static char conf[sizeof(dir) + 16];

/* One private dir per process with an empty rootfs "root" beside t.conf. */
static int setup(void)
{
	char root[sizeof(dir) + 8];

	if (conf[0])
		return 0;
	if (!mkdtemp(dir))
		return -1;
	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(conf, sizeof(conf), "%s/t.conf", dir);
	return mkdir(root, 0755);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct project *p = NULL;
	struct ce_error err = { 0 };
	FILE *f;

	if (setup() < 0)
		abort();
	f = fopen(conf, "w");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	if (parser_load(conf, &p, &err) == 0) {
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			parser_print_plan(p, null);
			fclose(null);
		}
		project_free(p);
	} else if (!err.msg[0] || strchr(err.msg, '\n')) {
		abort();	/* every error is exactly one non-empty line */
	}
	return 0;
}
