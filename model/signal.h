/* SPDX-License-Identifier: MIT */
/* signal.h: signal names as a file or an image config writes them. */
#pragma once

/* "SIGINT", "INT" (any case) or a number 1..SIGRTMAX; 0 when it is none of these. */
int signal_number(const char *s);
