/* SPDX-License-Identifier: MIT */
/* ulimits.h: a container's ulimits set on its pid 1 from the host, before it runs anything. */
#pragma once

#include <sys/types.h>

#include "model/project.h"
#include "util/error.h"

/* prlimit(2) each of c's ulimits on pid (our root may raise a hard limit, which the container's
 * root in a user namespace may not); what pid starts inherits them. 0, or -1 with err set. */
int launch_ulimits(pid_t pid, const struct container *c, struct ce_error *err);
