/* SPDX-License-Identifier: MIT */
/* pull.c: a registry image into a temporary layout of the store: the one place the registry client is called. */
#include "image/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "image/registry.h"
#include "util/fs.h"

/* A layer's line once all of it arrived: "layer sha256:0123456789ab 3.4 MiB: pulled". */
static void say(void *arg, const char *digest, uint64_t done, uint64_t total)
{
	char size[32];

	if (done != total)
		return;
	fs_human_size(total, size, sizeof(size));
	fprintf(arg, "layer %.19s %s: pulled\n", digest, size);
	fflush(arg);
}

int img_registry_open(const char *store, const struct image_ref *r, const struct image_caps *caps, FILE *progress,
		      struct img_source *src, struct ce_error *err)
{
	char blobs[PATH_MAX], ref[IMAGEREF_MAX];
	struct registry_opts opts = { .known_blobs = blobs, .insecure = (const char *const *)caps->insecure,
				      .progress = progress ? say : NULL, .progress_arg = progress,
				      .max_layers_size = caps->max_size };

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
