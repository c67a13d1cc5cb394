/* SPDX-License-Identifier: MIT */
/* runtime/exec.c: placeholder until implemented. */
