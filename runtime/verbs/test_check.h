/* SPDX-License-Identifier: MIT */
/* test_check.h: one check of `cengine test`, run in a child of the scheduler (test.c). */
#pragma once

#include "model/project.h"
#include "runtime/verbs/probe.h"
#include "runtime/verbs/verbs.h"
#include "state/project_state.h"

/* In a forked child: the check's attempts (1 + retries while it does not do what it expects), from
 * container s (its pid 1's netns for a probe, exec for run). r: the last attempt's. */
void test_check_child(const struct project *p, const struct check *c, const struct container_state *s,
		      const struct sockaddr_storage *dst, struct probe_result *r);
