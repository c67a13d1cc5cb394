/* SPDX-License-Identifier: MIT */
/* environ.h: the environment given to a container's processes. */
#pragma once

#include <stdbool.h>

#include "model/project.h"

/* PATH, HOME, HOSTNAME, TERM (when attached) and the container's env list.
 * Caller frees with free(). */
char **runtime_environ(const struct container *c, bool with_term);
