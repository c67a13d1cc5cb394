/* SPDX-License-Identifier: MIT */
/* stop.c: container keys stop_signal and stop_timeout: how `down` stops it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/signal.h"
#include "parser/internal.h"

#define STOP_TIMEOUT_MAX 86400.0	/* as down's -t */

static int c_stop_signal(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	const char *str = NULL;
	char num[16];
	long long n;

	if (pv_is_integer(s)) {
		if (pv_get_integer(ctx, s, path, &n) < 0)
			return -1;
		snprintf(num, sizeof(num), "%lld", n < 0 || n > 999 ? 0 : n);
		str = num;
	} else if (pv_get_string(ctx, s, path, &str) < 0) {
		return -1;
	}
	if (!(c->svc.stop_signal = signal_number(str)))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a signal name (SIGINT) or number 1..%d", str, SIGRTMAX);
	return 0;
}

/* "  stop_signal SIGINT (2)", only when set. */
static void c_print_stop_signal(struct printer *pr, const void *obj)
{
	int sig = ((const struct container *)obj)->svc.stop_signal;

	if (sig && sig < SIGRTMIN && sigabbrev_np(sig))
		pv_print_line(pr, "stop_signal SIG%s (%d)", sigabbrev_np(sig), sig);
	else if (sig)
		pv_print_line(pr, "stop_signal %d", sig);
}

static int c_stop_timeout(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct container *c = obj;
	double t = 0;

	if (pv_get_number(ctx, s, path, &t) < 0)
		return -1;
	if (!(t >= 0) || t > STOP_TIMEOUT_MAX)
		return pv_fail_at(ctx, s, path, "must be 0 to %g seconds, got %g", STOP_TIMEOUT_MAX, t);
	c->svc.stop_timeout_ms = (int)(t * 1000 + 0.5);
	return 0;
}

static void c_print_stop_timeout(struct printer *pr, const void *obj)
{
	int ms = ((const struct container *)obj)->svc.stop_timeout_ms;

	if (ms >= 0)
		pv_print_line(pr, "stop_timeout %gs", ms / 1000.0);
}

const struct key pv_stop_keys[] = {
	PV_KEY(c, stop_signal), PV_KEY(c, stop_timeout), PV_END,
};
