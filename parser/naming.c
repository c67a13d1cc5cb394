/* SPDX-License-Identifier: MIT */
/* parser/naming.c: placeholder until implemented. */
