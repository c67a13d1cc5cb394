/* SPDX-License-Identifier: MIT */
/* cgroup/v1.c: placeholder until implemented. */
