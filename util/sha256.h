/* SPDX-License-Identifier: MIT */
/* sha256.h: SHA-256 of a file, as 64 lowercase hex digits (content address of a rootfs tarball). */
#pragma once

/* 0, or -1 with errno set. */
int sha256_file(int fd, char hex[65]);
