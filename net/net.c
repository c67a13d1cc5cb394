/* SPDX-License-Identifier: MIT */
/* net/net.c: placeholder until implemented. */
