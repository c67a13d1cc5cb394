/* SPDX-License-Identifier: MIT */
/* ops.c: container keys for operations: ready, ready_timeout, restart. */
#include "parser/internal.h"

const struct key ops_keys[] = {
	{ NULL, NULL, false },	/* placeholder; n_ops_keys counts real keys only */
};

const size_t n_ops_keys = 0;
