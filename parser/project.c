/* SPDX-License-Identifier: MIT */
/* parser/project.c: placeholder until implemented. */
