/* SPDX-License-Identifier: MIT */
/* name.h: the project name of a file, even one that no longer parses (for down and ps). */
#pragma once

#include <stddef.h>

#include "util/error.h"

/* target is a .conf path or a bare project name. From a file: its `name`
 * setting when readable, else the file name without ".conf". A target that
 * is not a file is taken as the project name itself. */
int parser_project_name(const char *target, char *out, size_t len, struct ce_error *err);
