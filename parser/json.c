/* SPDX-License-Identifier: MIT */
/* json.c: `cengine check --json` (the file's settings as one JSON object, for its JSON Schema) and `check --keys` (every key of every table). */
#include "parser/parser.h"

#include <string.h>

#include "parser/internal.h"
#include "parser/source.h"
#include "util/cleanup.h"
#include "util/escape.h"

static void setting_json(FILE *out, const config_setting_t *s, int depth);

static void members_json(FILE *out, const config_setting_t *s, int depth, bool group)
{
	int n = config_setting_length(s);

	fputc(group ? '{' : '[', out);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);

		fprintf(out, "%s\n%*s", i ? "," : "", 2 * (depth + 1), "");
		if (group) {
			escape_json(out, config_setting_name(e));
			fputs(": ", out);
		}
		setting_json(out, e, depth + 1);
	}
	if (n)
		fprintf(out, "\n%*s", 2 * depth, "");
	fputc(group ? '}' : ']', out);
}

static void setting_json(FILE *out, const config_setting_t *s, int depth)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP: members_json(out, s, depth, true); break;
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY: members_json(out, s, depth, false); break;
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: fprintf(out, "%lld", config_setting_get_int64(s)); break;
	case CONFIG_TYPE_FLOAT: fprintf(out, "%.17g", config_setting_get_float(s)); break;
	case CONFIG_TYPE_BOOL: fputs(config_setting_get_bool(s) ? "true" : "false", out); break;
	default: escape_json(out, config_setting_get_string(s)); break;
	}
}

int parser_print_json(const char *file, const struct project *p, FILE *out, struct ce_error *err)
{
	_cleanup_(pv_source_free) struct source src = { 0 };
	_cleanup_(config_destroy) config_t cfg;
	const config_setting_t *root;
	int n;

	config_init(&cfg);
	if (pv_source_read(file, &src, err) < 0 || pv_source_parse(&src, &cfg, err) < 0)
		return -1;
	root = config_root_setting(&cfg);
	n = config_setting_length(root);
	fputs("{\n  \"name\": ", out);	/* the project's, as loaded: the file's, its file name's or -p's */
	escape_json(out, p->name);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(root, i);

		if (!strcmp(config_setting_name(e), "name"))
			continue;
		fputs(",\n  ", out);
		escape_json(out, config_setting_name(e));
		fputs(": ", out);
		setting_json(out, e, 1);
	}
	fputs("\n}\n", out);
	return 0;
}

void parser_print_keys(FILE *out)
{
	for (const struct key_group *const *g = pv_groups; *g; g++)
		for (const struct key *const *t = (*g)->tables; *t; t++)
			for (const struct key *k = *t; k->name; k++)
				fprintf(out, "%s %s%s\n", (*g)->name, k->name, k->container_only ? " container-only" : "");
}
