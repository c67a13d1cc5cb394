/* SPDX-License-Identifier: MIT */
/* proc.c: waiting for a child and turning its wait status into an exit code as a shell does. */
#include "util/proc.h"

#include <errno.h>
#include <sys/wait.h>

int proc_exit_code(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

int proc_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return proc_exit_code(status);
}
