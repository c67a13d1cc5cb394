/* SPDX-License-Identifier: MIT */
/* cleanup.h: __attribute__((cleanup)) helpers for memory, fds and FILE streams. */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void ce_freep(void *p)
{
	free(*(void **)p);
}

static inline void ce_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void ce_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/* static inline void name(type **p): fn(*p) unless *p is NULL; a cleanup for a library's object
 * (systemd's DEFINE_TRIVIAL_CLEANUP_FUNC). */
#define CE_DEFINE_CLEANUP(type, fn, name)		\
	static inline void name(type **p)		\
	{						\
		if (*p)					\
			fn(*p);				\
	}

#define _cleanup_free_ _cleanup_(ce_freep)
#define _cleanup_close_ _cleanup_(ce_closep)
#define _cleanup_fclose_ _cleanup_(ce_fclosep)

/* Hand ownership out of a cleanup variable. */
#define steal_pointer(pp) ({ __typeof__(*(pp)) _p = *(pp); *(pp) = NULL; _p; })
#define steal_fd(fdp) ({ int _fd = *(fdp); *(fdp) = -1; _fd; })
