/* SPDX-License-Identifier: MIT */
/* ps_json.c: `ps --json` / `up --json`: one project as a JSON document (schema in cengine(1)). */
#include "runtime/present/json.h"
#include "runtime/present/ps.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>


static void json_networks(const struct ps_project *pp, FILE *out)
{
	bool first = true;

	fputs("\"networks\":[", out);
	for (size_t i = 0; i < pp->n_e; i++) {
		const struct journal_entry *e = &pp->e[i];

		if (e->kind != J_NET)
			continue;
		fprintf(out, "%s{\"name\":", first ? "" : ",");
		json_str(out, e->args[0]);
		fputs(",\"bridge\":", out);
		json_str(out, e->args[1]);
		fputs(",\"subnet\":", out);
		json_str(out, e->args[2]);
		fputs(",\"gateway\":", out);
		json_str(out, strcmp(e->args[3], "-") ? e->args[3] : NULL);
		fputc('}', out);
		first = false;
	}
	fputc(']', out);
}

/* "eth0=10.1.2.3/24 eth1=..." -> ["10.1.2.3/24", ...] */
static void json_addresses(const char *addrs, FILE *out)
{
	char buf[sizeof(((struct container_state *)0)->addrs)], *save = NULL, *tok;
	bool first = true;

	snprintf(buf, sizeof(buf), "%s", addrs);
	fputc('[', out);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		fputs(first ? "" : ",", out);
		json_str(out, strchr(tok, '=') ? strchr(tok, '=') + 1 : tok);
		first = false;
	}
	fputc(']', out);
}

static void json_u64(FILE *out, const char *key, uint64_t v)
{
	if (v == UINT64_MAX)
		fprintf(out, ",\"%s\":null", key);
	else
		fprintf(out, ",\"%s\":%llu", key, (unsigned long long)v);
}

/* The user namespace the container was started in: its first host uid and gid and how many ids. */
static void json_userns(const struct container_state *s, FILE *out)
{
	const struct profile *pr = &s->profile;

	fputs(",\"userns\":", out);
	if (!s->has_profile || !pr->userns)
		fputs("null", out);
	else
		fprintf(out, "{\"uid\":%u,\"gid\":%u,\"count\":%u}", (unsigned)pr->uid, (unsigned)pr->gid,
			(unsigned)pr->count);
}

static void json_container(const struct ps_row *r, FILE *out)
{
	fputs("{\"name\":", out);
	json_str(out, r->s.name);
	fputs(",\"hostname\":", out);
	json_str(out, r->hostname);
	fprintf(out, ",\"state\":\"%s\",\"pid\":", r->s.running ? "running" : "exited");
	fprintf(out, r->s.running ? "%d" : "null", (int)r->s.pid);
	fputs(",\"addresses\":", out);
	json_addresses(r->s.addrs, out);
	fputs(",\"cgroup\":", out);
	json_str(out, r->cgroup);
	fputs(",\"exit_code\":", out);
	fprintf(out, r->s.running || r->s.exit_code < 0 ? "null" : "%d", r->s.exit_code);
	fprintf(out, ",\"restarts\":%d,\"started_at\":", r->restarts);
	json_str(out, r->started_at[0] ? r->started_at : NULL);
	fprintf(out, ",\"cpu_percent\":%.1f", r->cpu_percent);
	json_u64(out, "memory_current", r->st.memory_current);
	json_u64(out, "memory_max", r->st.memory_max);
	json_u64(out, "pids", r->st.pids_current);
	json_u64(out, "oom_kills", r->st.oom_kills);
	json_userns(&r->s, out);
	fprintf(out, ",\"stop_signal\":%d,\"stop_timeout\":", r->s.stop_signal > 0 ? r->s.stop_signal : SIGTERM);
	fprintf(out, r->s.stop_timeout_ms >= 0 ? "%g" : "null", r->s.stop_timeout_ms / 1000.0);
	fputc('}', out);
}

void ps_json_project(const struct ps_project *pp, FILE *out)
{
	fputs("{\"project\":", out);
	json_str(out, pp->name);
	fputc(',', out);
	json_networks(pp, out);
	fputs(",\"containers\":[", out);
	for (size_t k = 0; k < pp->n_rows; k++) {
		fputs(k ? "," : "", out);
		json_container(&pp->rows[k], out);
	}
	fputs("]}", out);
}
