/* SPDX-License-Identifier: MIT */
/* fdpass.h: file descriptors: write all of a buffer to one, hand one over a unix socket (SCM_RIGHTS), close all but some. */
#pragma once

#include <stddef.h>

/* All n bytes of buf to fd, through short writes and EINTR; an O_NONBLOCK fd that is full is
 * waited for. 0, or -1 with errno set (0 bytes written counts as an error). */
int fd_write_all(int fd, const void *buf, size_t n);
/* Send byte and fd (-1: none). 0, or -1 with errno set. */
int fd_send(int sock, char byte, int fd);
/* Receive one byte and the fd sent with it (-1: none; close-on-exec). 0 or -1. */
int fd_recv(int sock, char *byte, int *fd);
/* Close every fd from 3 up except the n in keep (sorted in place): what a new process must
 * not inherit (a lock, a journal, other containers' pipes). */
void fd_close_except(int *keep, size_t n);
