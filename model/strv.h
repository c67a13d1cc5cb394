/* SPDX-License-Identifier: MIT */
/* strv.h: NULL-terminated string vectors (argv/envp style) used by the project model. */
#pragma once

#include <stddef.h>

size_t strv_length(char *const *v);
/* Append a copy of s to *v (which may be NULL). 0, or -1 with errno ENOMEM. */
int strv_push(char ***v, const char *s);
void strv_free(char **v);
