/* SPDX-License-Identifier: MIT */
/* fs_temp.c: temporary names that say which process made them, and removing those whose process is gone. */
#include "util/fs.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/proc.h"

void fs_temp_prefix(const char *prefix, char *buf, size_t len)
{
	snprintf(buf, len, "%s%d-%llu-", prefix, (int)getpid(), proc_starttime(getpid()));
}

bool fs_temp_stale(const char *name, const char *prefix, bool ownerless_too)
{
	size_t skip = strlen(prefix);
	unsigned long long start = 0;
	int pid = 0, end = 0;

	if (strncmp(name, prefix, skip))
		return false;
	if (sscanf(name + skip, "%d-%llu-%n", &pid, &start, &end) != 2 || !end)
		return ownerless_too;
	return !proc_is(pid, start);
}

/* Make a stale temporary ours (a rename: only one cengine wins it), then remove it. */
static int claim_and_remove(const char *dir, const char *name, const char *prefix)
{
	char from[PATH_MAX], to[PATH_MAX], mine[64];

	fs_temp_prefix(prefix, mine, sizeof(mine));
	snprintf(from, sizeof(from), "%s/%s", dir, name);
	snprintf(to, sizeof(to), "%s/%sgc-%s", dir, mine, name + strlen(prefix));
	if (rename(from, to) < 0)
		return -1;	/* another cengine took it */
	return fs_remove_tree(to);
}

void fs_clean_stale(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);

	for (struct dirent *de; d && (de = readdir(d));)
		if (fs_temp_stale(de->d_name, prefix, false))
			claim_and_remove(dir, de->d_name, prefix);
	if (d)
		closedir(d);
}
