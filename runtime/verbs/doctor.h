/* SPDX-License-Identifier: MIT */
/* doctor.h: what `cengine doctor` checks, one line each (doctor.c, doctor_host.c, doctor_probe.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "model/project.h"

enum doctor_status { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL };

/* One line of the report: what was found, what it means for the user, and the fix. */
struct doctor_check {
	const char *name;
	enum doctor_status status;
	char what[1024];
	char fix[512];		/* "" when there is nothing to do */
};

/* One check: fills c (name set by the caller); p is the file's project, or NULL (the host alone). */
typedef void (*doctor_fn)(const struct project *p, struct doctor_check *c);

/* WARN, or FAIL when the file needs what is missing. */
static inline enum doctor_status doctor_missing(bool needed)
{
	return needed ? DOCTOR_FAIL : DOCTOR_WARN;
}

/* What the file uses (false without a file). */
bool doctor_needs_userns(const struct project *p);
bool doctor_needs_netem(const struct project *p);
bool doctor_needs_tbf(const struct project *p);

/* doctor_probe.c: tried in forked children, in namespaces of their own; nothing of the host's changes. */
void doctor_userns(const struct project *p, struct doctor_check *c);
void doctor_idmap(const struct project *p, struct doctor_check *c);
void doctor_links(const struct project *p, struct doctor_check *c);
void doctor_netem(const struct project *p, struct doctor_check *c);
void doctor_tbf(const struct project *p, struct doctor_check *c);

/* SIGPIPE ignored: a probe's child may be gone before its answer is read. */
void doctor_probes_quiet(void);

/* doctor_host.c: read from the host. */
/* The rootfs cache dir, or its nearest existing parent (what its file system is), into buf. */
void doctor_cache_dir(char *buf, size_t len);
void doctor_overlay(const struct project *p, struct doctor_check *c);
void doctor_cgroup(const struct project *p, struct doctor_check *c);
void doctor_systemd(const struct project *p, struct doctor_check *c);
void doctor_firewall(const struct project *p, struct doctor_check *c);
void doctor_nftables(const struct project *p, struct doctor_check *c);
void doctor_subuid(const struct project *p, struct doctor_check *c);
void doctor_nofile(const struct project *p, struct doctor_check *c);
void doctor_disk(const struct project *p, struct doctor_check *c);
