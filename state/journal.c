/* SPDX-License-Identifier: MIT */
/* state/journal.c: placeholder until implemented. */
