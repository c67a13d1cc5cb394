/* SPDX-License-Identifier: MIT */
/* runtime/down.c: placeholder until implemented. */
