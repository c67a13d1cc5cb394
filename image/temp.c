/* SPDX-License-Identifier: MIT */
/* temp.c: temporary dirs of the store, named for their process so that what a killed cengine left is removed. */
#include "image/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/fs.h"

int img_temp_dir(const char *store, const char *sub, char *out, size_t len, struct ce_error *err)
{
	char dir[PATH_MAX], prefix[64];

	if (img_store_subdir(store, sub, dir, sizeof(dir), err) < 0)
		return -1;
	fs_clean_stale(dir, IMG_TEMP_PREFIX);	/* what a killed import or unpack left */
	fs_temp_prefix(IMG_TEMP_PREFIX, prefix, sizeof(prefix));
	if ((size_t)snprintf(out, len, "%s/%sXXXXXX", dir, prefix) >= len)
		return ce_error_set(err, ENAMETOOLONG, "%s", dir);
	if (!mkdtemp(out))
		return ce_error_set(err, errno, "mkdtemp in %s", dir);
	return 0;
}
