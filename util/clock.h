/* SPDX-License-Identifier: MIT */
/* clock.h: the monotonic clock in the units callers count in, and a sleep that survives signals. */
#pragma once

#include <stdint.h>

/* CLOCK_MONOTONIC in microseconds. */
uint64_t clock_mono_us(void);
static inline uint64_t clock_mono_ms(void)
{
	return clock_mono_us() / 1000;
}
static inline double clock_mono_s(void)
{
	return (double)clock_mono_us() / 1e6;
}
/* Sleep ms milliseconds, resumed after a signal handler. */
void clock_sleep_ms(unsigned int ms);
