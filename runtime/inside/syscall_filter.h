/* SPDX-License-Identifier: MIT */
/* syscall_filter.h: no_new_privs and the default seccomp deny list (libseccomp). */
#pragma once

#include <stdbool.h>

/* Set no_new_privs, then (when enabled) load the deny list: each listed call
 * fails with EPERM. sys_admin (cap_add = CAP_SYS_ADMIN) keeps mount and
 * namespace calls allowed. 0, or -1 with errno set. */
int syscall_filter_apply(bool enabled, bool sys_admin);
