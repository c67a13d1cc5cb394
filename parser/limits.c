/* SPDX-License-Identifier: MIT */
/* limits.c: container keys for resource limits beyond cpu/memory/pids: cpu_weight, cpuset, memory_high, memory_swap, io_weight. */
#include "parser/internal.h"

const struct key limit_keys[] = {
	{ NULL, NULL, false },	/* placeholder; n_limit_keys counts real keys only */
};

const size_t n_limit_keys = 0;
