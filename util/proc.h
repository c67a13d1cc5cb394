/* SPDX-License-Identifier: MIT */
/* proc.h: waiting for a child and turning its wait status into an exit code as a shell does; the process's title; is a pid still the process it was. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* The exit code of a wait status: the status, or 128 + the signal that killed it. */
int proc_exit_code(int wstatus);
/* waitpid(pid) across EINTR; the child's exit code (proc_exit_code), or -1 with errno set. */
int proc_wait(pid_t pid);

/* Remember main()'s argv: its memory is the command line ps shows, which proc_title_set() rewrites. */
void proc_title_init(int argc, char **argv);
/* Show title (short: it must fit main()'s argv) as this process's name and command line in ps. */
void proc_title_set(const char *title);

/* Process start time (field 22 of /proc/PID/stat) or 0 when pid is gone. */
unsigned long long proc_starttime(pid_t pid);
/* Is pid alive and still the process that had starttime? */
bool proc_is(pid_t pid, unsigned long long starttime);
