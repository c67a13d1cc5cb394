/* SPDX-License-Identifier: MIT */
/* gc_scan.c: find cengine's objects on the host by their marks: link aliases, cgroup paths, nftables table names, grouped by project. */
#include "runtime/verbs/gc_scan.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "model/naming.h"
#include "model/strv.h"
#include "util/cleanup.h"

struct scan {
	const char *prefix;
	struct gc_found *v;
	size_t n, cap;
};

/* The entry of project p (made when new); NULL when p is not in scope or out of memory. */
static struct gc_found *entry(struct scan *s, const char *p, bool *oom)
{
	if (strncmp(p, s->prefix, strlen(s->prefix)) || !naming_project_valid(p))
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].project, p))
			return &s->v[i];
	if (s->n == s->cap) {
		struct gc_found *v = realloc(s->v, (s->cap = s->cap ? 2 * s->cap : 8) * sizeof(*v));

		if (!v) {
			*oom = true;
			return NULL;
		}
		s->v = v;
	}
	s->v[s->n] = (struct gc_found){ 0 };
	snprintf(s->v[s->n].project, sizeof(s->v[s->n].project), "%s", p);
	return &s->v[s->n++];
}

static int scan_links(struct scan *s, struct ce_error *err)
{
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	_cleanup_free_ struct net_aliased *v = NULL;
	char project[CE_PROJECT_MAX + 1], role[NAMING_ROLE_MAX];
	bool oom = false;
	size_t n = 0;

	if (net_open(&nl, err) < 0 || net_links_aliased(nl, &v, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct gc_found *f;
		struct gc_link *grown;

		if (!naming_mark_owner(v[i].alias, project, role) || (strcmp(role, "bridge") && strcmp(role, "veth")) ||
		    !(f = entry(s, project, &oom)))
			continue;
		if (!(grown = realloc(f->links, (f->n_links + 1) * sizeof(*grown))))
			return ce_error_set(err, ENOMEM, "gc");
		f->links = grown;
		grown[f->n_links] = (struct gc_link){ .ifindex = v[i].ifindex, .bridge = !strcmp(role, "bridge") };
		snprintf(grown[f->n_links++].name, sizeof(grown->name), "%s", v[i].name);
	}
	return oom ? ce_error_set(err, ENOMEM, "gc") : 0;
}

static int add_cgroup(struct gc_found *f, const char *rel)
{
	char **grown;

	for (size_t i = 0; i < f->n_cgroups; i++)
		if (!strcmp(f->cgroups[i], rel))
			return 0;
	if (!(grown = realloc(f->cgroups, (f->n_cgroups + 2) * sizeof(*grown))) || !(grown[f->n_cgroups] = strdup(rel))) {
		if (grown)
			f->cgroups = grown;
		return -1;
	}
	f->cgroups = grown;
	grown[++f->n_cgroups] = NULL;
	return 0;
}

/* cengine/<project> and its child groups under one hierarchy's cengine/ directory. */
static int scan_hierarchy(struct scan *s, const char *dir)
{
	DIR *d = opendir(dir);
	bool oom = false;
	int rc = 0;

	for (struct dirent *de; d && rc == 0 && (de = readdir(d));) {
		char rel[256], sub[512];
		struct gc_found *f;
		DIR *c;

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || !(f = entry(s, de->d_name, &oom)))
			continue;
		naming_cgroup(de->d_name, NULL, rel, sizeof(rel));
		rc = add_cgroup(f, rel);
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		c = opendir(sub);
		for (struct dirent *ce; c && rc == 0 && (ce = readdir(c));)
			if (ce->d_type == DT_DIR && ce->d_name[0] != '.') {
				naming_cgroup(de->d_name, ce->d_name, rel, sizeof(rel));
				rc = add_cgroup(f, rel);
			}
		if (c)
			closedir(c);
	}
	if (d)
		closedir(d);
	return oom ? -1 : rc;
}

/* Every hierarchy: the root itself (v2) and each directory in it (v1: cpu, memory, ...; unified). */
static int scan_cgroups(struct scan *s, struct ce_error *err)
{
	DIR *d = opendir(cgroup_root());
	char dir[512];
	int rc;

	snprintf(dir, sizeof(dir), "%s/cengine", cgroup_root());
	rc = scan_hierarchy(s, dir);
	for (struct dirent *de; d && rc == 0 && (de = readdir(d));)
		if (de->d_type == DT_DIR && de->d_name[0] != '.') {
			snprintf(dir, sizeof(dir), "%s/%s/cengine", cgroup_root(), de->d_name);
			rc = scan_hierarchy(s, dir);
		}
	if (d)
		closedir(d);
	return rc < 0 ? ce_error_set(err, ENOMEM, "gc") : 0;
}

static int scan_nft(struct scan *s, struct ce_error *err)
{
	char **names = NULL;
	bool oom = false;
	size_t n = 0;
	struct gc_found *f;

	if (net_nft_projects(&names, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((f = entry(s, names[i], &oom)))
			f->nft = true;
	strv_free(names);
	return oom ? ce_error_set(err, ENOMEM, "gc") : 0;
}

_Static_assert(NET_PROJECT_MAX == CE_PROJECT_MAX, "net's project names are the model's");

static int scan_hostfw(struct scan *s, struct ce_error *err)
{
	_cleanup_free_ struct net_hostfw_owner *v = NULL;
	bool oom = false;
	size_t n = 0;
	struct gc_found *f;

	if (net_hostfw_owners(&v, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && !oom; i++) {
		struct net_hostfw_chain *grown;

		if (!(f = entry(s, v[i].project, &oom)))
			continue;
		grown = realloc(f->hostfw, (f->n_hostfw + 1) * sizeof(*grown));
		if (!grown) {
			oom = true;
			break;
		}
		f->hostfw = grown;
		f->hostfw[f->n_hostfw++] = v[i].chain;
	}
	return oom ? ce_error_set(err, ENOMEM, "gc") : 0;
}

int gc_scan(const char *prefix, struct gc_found **out, size_t *n, struct ce_error *err)
{
	struct scan s = { .prefix = prefix };

	if (scan_links(&s, err) < 0 || scan_cgroups(&s, err) < 0 || scan_nft(&s, err) < 0 ||
	    scan_hostfw(&s, err) < 0) {
		gc_found_free(s.v, s.n);
		return -1;
	}
	*out = s.v;
	*n = s.n;
	return 0;
}

void gc_found_free(struct gc_found *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].links);
		free(v[i].hostfw);
		strv_free(v[i].cgroups);
	}
	free(v);
}
