/* SPDX-License-Identifier: MIT */
/* proc.h: waiting for a child and turning its wait status into an exit code as a shell does. */
#pragma once

#include <sys/types.h>

/* The exit code of a wait status: the status, or 128 + the signal that killed it. */
int proc_exit_code(int wstatus);
/* waitpid(pid) across EINTR; the child's exit code (proc_exit_code), or -1 with errno set. */
int proc_wait(pid_t pid);
