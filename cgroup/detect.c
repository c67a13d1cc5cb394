/* SPDX-License-Identifier: MIT */
/* cgroup/detect.c: placeholder until implemented. */
