/* SPDX-License-Identifier: MIT */
/* json.c: the one JSON helper the machine-readable output needs: string literals, escaped by util/escape. */
#include "runtime/present/json.h"

#include "util/escape.h"

void json_str(FILE *f, const char *s)
{
	escape_json(f, s);
}
