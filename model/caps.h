/* SPDX-License-Identifier: MIT */
/* caps.h: capability names and the container's capability mask (the default set, cap_add, cap_drop). */
#pragma once

#include <stdint.h>

#include "model/project.h"

#define CAPS_KNOWN 41	/* capabilities with a name here: CAP_CHOWN (0) .. CAP_CHECKPOINT_RESTORE (40) */

/* "NET_ADMIN", "cap_net_admin", ...: the capability number, or -1. "ALL" is -2. */
int caps_number(const char *name);
/* The container's capability mask: the default set, then cap_add, then cap_drop. */
uint64_t caps_mask(const struct security *sec);
