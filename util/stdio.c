/* SPDX-License-Identifier: MIT */
/* stdio.c: put other descriptors in place of our stdin, stdout and stderr for a while, and ours back. */
#include "util/stdio.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int stdio_swap(const int ends[3], int saved[3])
{
	for (int fd = 0; fd < 3; fd++) {
		saved[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (saved[fd] < 0 && errno == EBADF)	/* we started without it: /dev/null after */
			saved[fd] = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (saved[fd] < 0 || dup2(ends[fd], fd) < 0)
			return -1;
	}
	return 0;
}

void stdio_restore(int saved[3])
{
	for (int fd = 0; fd < 3; fd++) {
		if (saved[fd] < 0)
			continue;
		dup2(saved[fd], fd);
		close(saved[fd]);
		saved[fd] = -1;
	}
}
