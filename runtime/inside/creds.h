/* SPDX-License-Identifier: MIT */
/* creds.h: the credentials a container process takes before exec: its user namespace's root, its capability sets. */
#pragma once

#include <stdint.h>

/* Inside a user namespace: become its root (no groups, gid 0, uid 0). 0, or -1 with errno. */
int creds_become_root(void);
/* Limit bounding, inheritable, ambient, permitted and effective to mask.
 * 0, or -1 with errno set. */
int caps_apply(uint64_t mask);
