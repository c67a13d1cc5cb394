/* SPDX-License-Identifier: MIT */
/* runtime/init.c: placeholder until implemented. */
