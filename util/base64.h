/* SPDX-License-Identifier: MIT */
/* base64.h: bytes as standard base64 (RFC 4648, with padding) on a stream. */
#pragma once

#include <stddef.h>
#include <stdio.h>

/* The len bytes at s as base64 on f. */
void base64_write(FILE *f, const void *s, size_t len);
