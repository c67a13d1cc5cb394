/* SPDX-License-Identifier: MIT */
/* rootmount.h: in the new container's mount namespace: the overlay of its lower tree with a private tmpfs for writes. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* In the child (own mount namespace): a private tmpfs mounted on DIR (the state dir, hidden in this
 * namespace only) and made the working directory; the overlay of lower (or of the idmapped tree
 * lower_fd, attached at lower/ in it) on root/ in it, upper/ and work/ beside; host: the host view of
 * hostview.h. Each tmpfs holds at most size bytes (0: the kernel's default, half of RAM). An O_PATH
 * fd of the merged root, or -1 with err naming the step. */
int rootfs_mount(const char *dir, const char *lower, int lower_fd, bool host, bool userns, uint64_t size,
		 struct ce_error *err);
