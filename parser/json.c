/* SPDX-License-Identifier: MIT */
/* json.c: `cengine check --json` (the file's settings as one JSON object, for its JSON Schema) and `check --keys` (every key of every table). */
#include "parser/parser.h"

#include <string.h>

#include "parser/internal.h"
#include "parser/source.h"
#include "util/cleanup.h"
#include "util/json.h"

static json_t *setting_json(const config_setting_t *s);

/* A group's members as an object in file order (jansson keeps insertion order), a list's or array's as an array. */
static json_t *members_json(const config_setting_t *s, bool group)
{
	json_t *v = group ? json_object() : json_array();
	int n = config_setting_length(s);

	for (int i = 0; v && i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		json_t *m = setting_json(e);
		/* a group's member name is libconfig's ([A-Za-z*][-A-Za-z0-9_*]*): plain ASCII */
		int rc = group ? json_object_set_new(v, config_setting_name(e), m) : json_array_append_new(v, m);

		if (!m || rc < 0) {
			json_decref(v);
			return NULL;
		}
	}
	return v;
}

static json_t *setting_json(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP: return members_json(s, true);
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY: return members_json(s, false);
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return json_integer(config_setting_get_int64(s));
	case CONFIG_TYPE_FLOAT: return json_real(config_setting_get_float(s));
	case CONFIG_TYPE_BOOL: return json_boolean(config_setting_get_bool(s));
	default: return json_text(config_setting_get_string(s));
	}
}

int parser_print_json(const char *file, const struct project *p, FILE *out, struct ce_error *err)
{
	_cleanup_(pv_source_free) struct source src = { 0 };
	_cleanup_(config_destroy) config_t cfg;
	json_t *doc, *rest;

	config_init(&cfg);
	if (pv_source_read(file, &src, err) < 0 || pv_source_parse(&src, &cfg, err) < 0)
		return -1;
	/* "name" first: the project's, as loaded (the file's, its file name's or -p's); then the file's others */
	rest = members_json(config_root_setting(&cfg), true);
	doc = rest ? json_pack("{s:o}", "name", json_text(p->name)) : NULL;
	json_object_del(rest, "name");
	if (json_object_update(doc, rest) < 0)
		json_decref(doc), doc = NULL;
	json_decref(rest);
	if (json_print(out, doc) < 0)
		return ce_error_set(err, 0, "check --json: out of memory or cannot write");
	return 0;
}

void parser_print_keys(FILE *out)
{
	for (const struct key_group *const *g = pv_groups; *g; g++)
		for (const struct key *const *t = (*g)->tables; *t; t++)
			for (const struct key *k = *t; k->name; k++)
				fprintf(out, "%s %s%s\n", (*g)->name, k->name, k->container_only ? " container-only" : "");
}
