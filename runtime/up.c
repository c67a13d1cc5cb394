/* SPDX-License-Identifier: MIT */
/* runtime/up.c: placeholder until implemented. */
