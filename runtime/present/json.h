/* SPDX-License-Identifier: MIT */
/* json.h: the one JSON helper the machine-readable output needs: string literals. */
#pragma once

#include <stdio.h>

/* s as a JSON string literal (util/escape.h: valid JSON whatever the bytes, no control
 * character a terminal acts on; NULL -> null). */
void json_str(FILE *f, const char *s);
