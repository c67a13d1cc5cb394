/* SPDX-License-Identifier: MIT */
/* signal.c: signal names as a file (stop_signal) or an image config (StopSignal) writes them. */
#include "model/signal.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int signal_number(const char *s)
{
	char *end;
	long n;

	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		return *end || n < 1 || n > SIGRTMAX ? 0 : (int)n;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (sigabbrev_np(sig) && !strcasecmp(s, sigabbrev_np(sig)))
			return sig;
	return 0;
}
