/* SPDX-License-Identifier: MIT */
/* paths.h: where a container's state files live: <state root>/<project>/<container>/<file>. */
#pragma once

#include <stddef.h>

/* Files of a container's state dir (besides the rootfs dirs root, lower, rw). */
#define STATE_FILE_LOG "log"	/* stdout and stderr of the container */
#define STATE_FILE_EXIT "exit"	/* "CODE RESTARTS\n", written by its pid 1 */

/* Long enough for any of them: the root is at most 128 bytes, names are short. */
#define STATE_PATH_MAX 512

/* "<root>/<project>/<container>" into buf; -1 (buf "") when it does not fit. */
int state_container_dir(const char *project, const char *container, char *buf, size_t len);
/* "<root>/<project>/<container>/<file>" into buf; -1 (buf "") when it does not fit. */
int state_container_path(const char *project, const char *container, const char *file, char *buf, size_t len);
