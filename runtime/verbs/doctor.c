/* SPDX-License-Identifier: MIT */
/* doctor.c: `cengine doctor [FILE]`: can this host run the file? One line a check (OK, WARN, FAIL), as text or JSON. */
#include "runtime/verbs/verbs.h"

#include <stdio.h>
#include <string.h>

#include "runtime/verbs/doctor.h"
#include "util/json.h"

static bool impair_netem(const struct impair *im)
{
	return im->delay_us || im->jitter_us || im->loss > 0;
}

bool doctor_needs_userns(const struct project *p)
{
	for (size_t i = 0; p && i < p->n_containers; i++)
		if (p->containers[i].sec.userns != 0)
			return true;
	return false;
}

/* Does an interface or link end of p have impairments that `is` picks? */
static bool needs_impair(const struct project *p, bool netem)
{
	for (size_t i = 0; p && i < p->n_containers; i++)
		for (size_t k = 0; k < p->containers[i].n_ifaces; k++) {
			const struct impair *im = &p->containers[i].ifaces[k].impair;

			if (netem ? impair_netem(im) : im->rate != 0)
				return true;
		}
	for (size_t i = 0; p && i < p->n_links; i++)
		for (int e = 0; e < 2; e++) {
			const struct impair *im = &p->links[i].end[e].impair;

			if (netem ? impair_netem(im) : im->rate != 0)
				return true;
		}
	return false;
}

bool doctor_needs_netem(const struct project *p)
{
	return needs_impair(p, true);
}

bool doctor_needs_tbf(const struct project *p)
{
	return needs_impair(p, false);
}

/* The checks, in the order they print. */
static const struct {
	const char *name;
	doctor_fn fn;
} checks[] = {
	{ "userns", doctor_userns },	 { "idmap", doctor_idmap },     { "overlayfs", doctor_overlay },
	{ "cgroup", doctor_cgroup },	 { "systemd", doctor_systemd }, { "bridge", doctor_links },
	{ "netem", doctor_netem },	 { "tbf", doctor_tbf },	        { "firewall", doctor_firewall },
	{ "nftables", doctor_nftables }, { "subuid", doctor_subuid },   { "nofile", doctor_nofile },
	{ "disk", doctor_disk },
};
#define N_CHECKS (sizeof(checks) / sizeof(*checks))

static const char *const status_word[] = { "OK", "WARN", "FAIL" };

static void print_text(const struct project *p, const struct doctor_check *c, size_t n, FILE *out)
{
	size_t count[3] = { 0 };

	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%-4s  %-9s %s", status_word[c[i].status], c[i].name, c[i].what);
		fprintf(out, c[i].fix[0] ? "; fix: %s\n" : "%s\n", c[i].fix);
		count[c[i].status]++;
	}
	fprintf(out, "%zu OK, %zu WARN, %zu FAIL%s%s\n", count[0], count[1], count[2], p ? " for " : "",
		p ? p->file : "");
}

static void print_json(const struct project *p, const struct doctor_check *c, size_t n, FILE *out)
{
	json_t *checks = json_array();

	for (size_t i = 0; checks && i < n; i++)
		if (json_array_append_new(checks, json_pack("{s:s, s:s, s:o, s:o}", "name", c[i].name, "status",
							    status_word[c[i].status], "what", json_text(c[i].what),
							    "fix", json_text(c[i].fix))) < 0)
			json_decref(checks), checks = NULL;
	json_print(out, json_pack("{s:o, s:o}", "file", json_text(p ? p->file : NULL), "checks", checks));
}

int runtime_doctor(const struct project *p, bool json, FILE *out)
{
	struct doctor_check c[N_CHECKS];
	int fails = 0;

	doctor_probes_quiet();
	for (size_t i = 0; i < N_CHECKS; i++) {
		c[i] = (struct doctor_check){ .name = checks[i].name, .status = DOCTOR_OK };
		checks[i].fn(p, &c[i]);
		fails += c[i].status == DOCTOR_FAIL;
	}
	(json ? print_json : print_text)(p, c, N_CHECKS, out);
	return fails;
}
