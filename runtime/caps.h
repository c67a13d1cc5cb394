/* SPDX-License-Identifier: MIT */
/* caps.h: capability names, the default set, and limiting all five sets before exec. */
#pragma once

#include <stdint.h>

#include "parser/project.h"

/* "NET_ADMIN", "cap_net_admin", ...: the capability number, or -1. "ALL" is -2. */
int caps_number(const char *name);
/* The container's capability mask: the default set, then cap_add, then cap_drop. */
uint64_t caps_mask(const struct security *sec);
/* Limit bounding, inheritable, ambient, permitted and effective to mask.
 * 0, or -1 with errno set. */
int caps_apply(uint64_t mask);
