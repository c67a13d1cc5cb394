/* SPDX-License-Identifier: MIT */
/* ps_json.c: `ps --json` / `up --json`: one project as a JSON document (schema in cengine(1)), built with jansson. */
#include "util/json.h"
#include "runtime/present/ps.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>

/* The subnet6 its journal's net6 line gives network `name`, or NULL. */
static const char *subnet6_of(const struct ps_project *pp, const char *name)
{
	for (size_t i = 0; i < pp->n_e; i++)
		if (pp->e[i].kind == J_NET6 && !strcmp(pp->e[i].args[0], name))
			return pp->e[i].args[1];
	return NULL;
}

static json_t *json_networks(const struct ps_project *pp)
{
	json_t *a = json_array();

	for (size_t i = 0; i < pp->n_e; i++) {
		const struct journal_entry *e = &pp->e[i];

		if (e->kind != J_NET)
			continue;
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o}", "name", json_text(e->args[0]), "bridge",
						   json_text(e->args[1]), "subnet", json_text(e->args[2]), "gateway",
						   json_text(strcmp(e->args[3], "-") ? e->args[3] : NULL), "subnet6",
						   json_text(subnet6_of(pp, e->args[0]))));
	}
	return a;
}

/* "eth0=10.1.2.3/24 eth1=..." -> ["10.1.2.3/24", ...] */
static json_t *json_addresses(const char *addrs)
{
	char buf[sizeof(((struct container_state *)0)->addrs)], *save = NULL, *tok;
	json_t *a = json_array();

	snprintf(buf, sizeof(buf), "%s", addrs);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_text(strchr(tok, '=') ? strchr(tok, '=') + 1 : tok));
	return a;
}

/* A counter that cgroups may not have (UINT64_MAX): null. */
static json_t *json_u64(uint64_t v)
{
	return v == UINT64_MAX ? json_null() : json_integer((json_int_t)v);
}

/* The user namespace the container was started in: its first host uid and gid and how many ids. */
static json_t *json_userns(const struct container_state *s)
{
	const struct profile *pr = &s->profile;

	if (!s->has_profile || !pr->userns)
		return json_null();
	return json_pack("{s:I, s:I, s:I}", "uid", (json_int_t)pr->uid, "gid", (json_int_t)pr->gid, "count",
			 (json_int_t)pr->count);
}

static json_t *json_container(const struct ps_row *r)
{
	bool exited = !r->s.running && r->s.exit_code >= 0;
	int ms = r->s.stop_timeout_ms;	/* seconds, whole ones as integers: 5, 0.25; -1: null */
	json_t *stop_timeout = ms < 0 ? json_null() : ms % 1000 ? json_real(ms / 1000.0) : json_integer(ms / 1000);

	return json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:i, s:o, s:f, s:o, s:o, s:o, s:o, s:o, s:i, s:o}",
			 "name", json_text(r->s.name), "hostname", json_text(r->hostname),
			 "state", r->s.running ? "running" : "exited",
			 "pid", r->s.running ? json_integer(r->s.pid) : json_null(),
			 "addresses", json_addresses(r->s.addrs), "cgroup", json_text(r->cgroup),
			 "exit_code", exited ? json_integer(r->s.exit_code) : json_null(), "restarts", r->restarts,
			 "started_at", json_text(r->started_at[0] ? r->started_at : NULL),
			 "cpu_percent", (double)(long long)(r->cpu_percent * 10 + 0.5) / 10,	/* one decimal */
			 "memory_current", json_u64(r->st.memory_current), "memory_max", json_u64(r->st.memory_max),
			 "pids", json_u64(r->st.pids_current), "oom_kills", json_u64(r->st.oom_kills),
			 "userns", json_userns(&r->s),
			 "stop_signal", r->s.stop_signal > 0 ? r->s.stop_signal : SIGTERM, "stop_timeout", stop_timeout);
}

json_t *ps_json_project(const struct ps_project *pp)
{
	json_t *containers = json_array();

	for (size_t k = 0; k < pp->n_rows; k++)
		json_array_append_new(containers, json_container(&pp->rows[k]));
	return json_pack("{s:o, s:o, s:o}", "project", json_text(pp->name), "networks", json_networks(pp),
			 "containers", containers);
}
