/* SPDX-License-Identifier: MIT */
/* pull.c: a registry image into a temporary layout of the store: the one place the registry client is called. */
#include "image/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "image/registry.h"

int img_registry_open(const char *store, const struct image_ref *r, const struct image_caps *caps,
		      struct img_source *src, struct ce_error *err)
{
	char blobs[PATH_MAX], ref[IMAGEREF_MAX];
	struct registry_opts opts = { .known_blobs = blobs, .insecure = (const char *const *)caps->insecure };

	while (caps->insecure && caps->insecure[opts.n_insecure])
		opts.n_insecure++;

	if (img_store_subdir(store, "blobs/sha256", blobs, sizeof(blobs), err) < 0 ||
	    img_temp_dir(store, "tmp", src->path, sizeof(src->path), err) < 0)
		return -1;
	src->own = true;	/* removed after, whatever happens */
	src->dirfd = open(src->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src->dirfd < 0)
		return ce_error_set(err, errno, "%s", src->path);
	imageref_format(r, ref, sizeof(ref));
	if (registry_pull(ref, src->dirfd, &opts, err) < 0)
		return -1;
	if (registry_ref_name(r, src->ref, sizeof(src->ref)) < 0)
		return ce_error_set(err, ENAMETOOLONG, "%s: the name", src->what);
	return 0;
}
