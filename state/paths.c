/* SPDX-License-Identifier: MIT */
/* paths.c: the one place a container's state paths are built. */
#include "state/paths.h"

#include <stdio.h>

#include "state/journal.h"

static int fits(int n, char *buf, size_t len)
{
	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';	/* never a truncated path that names another file */
		return -1;
	}
	return 0;
}

int state_container_dir(const char *project, const char *container, char *buf, size_t len)
{
	return fits(snprintf(buf, len, "%s/%s/%s", journal_root(), project, container), buf, len);
}

int state_container_path(const char *project, const char *container, const char *file, char *buf, size_t len)
{
	return fits(snprintf(buf, len, "%s/%s/%s/%s", journal_root(), project, container, file), buf, len);
}

void state_log_name(int k, char *buf, size_t len)
{
	if (k == 0)
		snprintf(buf, len, "%s", STATE_FILE_LOG);
	else
		snprintf(buf, len, "%s.%d", STATE_FILE_LOG, k);
}
