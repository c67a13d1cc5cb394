/* SPDX-License-Identifier: MIT */
/* fdpass.h: hand one file descriptor (or none) with one byte over a unix socket (SCM_RIGHTS). */
#pragma once

/* Send byte and fd (-1: none). 0, or -1 with errno set. */
int fd_send(int sock, char byte, int fd);
/* Receive one byte and the fd sent with it (-1: none; close-on-exec). 0 or -1. */
int fd_recv(int sock, char *byte, int *fd);
