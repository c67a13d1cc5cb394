/* SPDX-License-Identifier: MIT */
/* proc.h: cloning and waiting for a child and turning its wait status into an exit code as a shell does; the process's title; is a pid still the process it was. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The exit code of a wait status: the status, or 128 + the signal that killed it. */
int proc_exit_code(int wstatus);
/* waitpid(pid) across EINTR; the child's exit code (proc_exit_code), or -1 with errno set. */
int proc_wait(pid_t pid);

/* fork() through clone3, SIGCHLD at exit: flags adds CLONE_NEW* namespaces; cgroup_fd >= 0 (a cgroup2
 * directory) adds CLONE_INTO_CGROUP, so that the child is born in that group rather than moved there (a move
 * through cgroup.procs takes the kernel's global threadgroup lock for writing and waits out an RCU grace
 * period, 5-20 ms). 0 in the child, its pid in the parent, or -1 with errno. */
pid_t proc_clone(uint64_t flags, int cgroup_fd);

/* Every signal's disposition back to its default (signals 1..NSIG-1; those the C library keeps for itself
 * stay as they are): what a caller ignored (a background job's SIGINT and SIGQUIT) is not the next program's. */
void proc_signals_default(void);

/* Remember main()'s argv: its memory is the command line ps shows, which proc_title_set() rewrites. */
void proc_title_init(int argc, char **argv);
/* Show title (short: it must fit main()'s argv) as this process's name and command line in ps. */
void proc_title_set(const char *title);

/* Process start time (field 22 of /proc/PID/stat) or 0 when pid is gone. */
unsigned long long proc_starttime(pid_t pid);
/* Is pid alive and still the process that had starttime? */
bool proc_is(pid_t pid, unsigned long long starttime);
