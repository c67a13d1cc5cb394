/* SPDX-License-Identifier: MIT */
/* security.c: container keys for isolation: userns, cap_add, cap_drop, seccomp. */
#include "parser/internal.h"

const struct key security_keys[] = {
	{ NULL, NULL, false },	/* placeholder; n_security_keys counts real keys only */
};

const size_t n_security_keys = 0;
