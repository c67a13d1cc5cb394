/* SPDX-License-Identifier: MIT */
/* cgroup/limits.c: placeholder until implemented. */
