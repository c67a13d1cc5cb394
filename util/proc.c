/* SPDX-License-Identifier: MIT */
/* proc.c: waiting for a child and turning its wait status into an exit code as a shell does; the process's title. */
#include "util/proc.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
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

static char *argv_start;
static size_t argv_len;

void proc_title_init(int argc, char **argv)
{
	if (argc < 1)
		return;
	argv_start = argv[0];
	argv_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
}

void proc_title_set(const char *title)
{
	size_t len = strlen(title) + 1;

	prctl(PR_SET_NAME, title);
	if (argv_start && argv_len > len) {
		memset(argv_start, 0, argv_len);
		memcpy(argv_start, title, len);
	}
}
