/* SPDX-License-Identifier: MIT */
/* paths.h: where a container's state files live: <state root>/<project>/<container>/<file>. */
#pragma once

#include <stddef.h>

/* Files of a container's state dir (besides the rootfs dirs root, lower, rw). */
#define STATE_FILE_LOG "log"	/* stdout and stderr of the container, written by the project's log keeper;
				 * rotated to log.1 (the newest old one) ... log.N-1 */
#define STATE_FILE_EXIT "exit"	/* "CODE RESTARTS\n": the last status its pid 1 reported to the log keeper */

/* The keeper makes the live log read-only once the container closed its end of the pipe and
 * everything it wrote is in the file: `logs -f` then knows the log is complete. */
#define STATE_LOG_MODE 0600
#define STATE_LOG_MODE_COMPLETE 0400

/* Long enough for any of them: the root is at most 128 bytes, names are short. */
#define STATE_PATH_MAX 512

/* "<root>/<project>/<container>" into buf; -1 (buf "") when it does not fit. */
int state_container_dir(const char *project, const char *container, char *buf, size_t len);
/* "<root>/<project>/<container>/<file>" into buf; -1 (buf "") when it does not fit. */
int state_container_path(const char *project, const char *container, const char *file, char *buf, size_t len);
/* Name of log file k of a container: "log" (k = 0, the live one), "log.1", ... (older ones). */
void state_log_name(int k, char *buf, size_t len);
