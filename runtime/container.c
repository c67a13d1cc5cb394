/* SPDX-License-Identifier: MIT */
/* runtime/container.c: placeholder until implemented. */
