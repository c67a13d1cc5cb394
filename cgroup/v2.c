/* SPDX-License-Identifier: MIT */
/* cgroup/v2.c: placeholder until implemented. */
