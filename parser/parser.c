/* SPDX-License-Identifier: MIT */
/* parser/parser.c: placeholder until implemented. */
