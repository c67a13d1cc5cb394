/* SPDX-License-Identifier: MIT */
/* runtime/ps.c: placeholder until implemented. */
