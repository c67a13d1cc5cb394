/* SPDX-License-Identifier: MIT */
/* yaml.c: block-style YAML for the manifests; every string value goes through escape_yaml (double-quoted, escaped). */
#include "export/internal.h"

#include <string.h>

#include "util/escape.h"

void yaml_item(struct yaml *y)
{
	y->item = true;
}

/* The indent of a key at ind, or "- " two columns left of it for a list item's first key. */
static void indent(struct yaml *y, int ind)
{
	if (y->item)
		fprintf(y->f, "%*s- ", ind - 2, "");
	else
		fprintf(y->f, "%*s", ind, "");
	y->item = false;
}

void yaml_key(struct yaml *y, int ind, const char *key)
{
	indent(y, ind);
	fprintf(y->f, "%s:\n", key);
}

void yaml_str(struct yaml *y, int ind, const char *key, const char *val)
{
	indent(y, ind);
	fprintf(y->f, "%s: ", key);
	escape_yaml(y->f, val);
	fputc('\n', y->f);
}

void yaml_int(struct yaml *y, int ind, const char *key, long long val)
{
	indent(y, ind);
	fprintf(y->f, "%s: %lld\n", key, val);
}

void yaml_bool(struct yaml *y, int ind, const char *key, bool val)
{
	indent(y, ind);
	fprintf(y->f, "%s: %s\n", key, val ? "true" : "false");
}

void yaml_list_str(struct yaml *y, int ind, const char *val)
{
	fprintf(y->f, "%*s- ", ind, "");
	escape_yaml(y->f, val);
	fputc('\n', y->f);
}

void yaml_strv(struct yaml *y, int ind, const char *key, char *const *v)
{
	if (!v || !v[0])
		return;
	yaml_key(y, ind, key);
	for (size_t i = 0; v[i]; i++)
		yaml_list_str(y, ind, v[i]);
}

void yaml_head(struct yaml *y, const struct k8s *k, const char *api, const char *kind, const char *name)
{
	yaml_str(y, 0, "apiVersion", api);
	yaml_str(y, 0, "kind", kind);
	yaml_key(y, 0, "metadata");
	yaml_str(y, 2, "name", name);
	if (strcmp(kind, "Namespace"))
		yaml_str(y, 2, "namespace", k->ns);
	yaml_key(y, 2, "labels");
	yaml_str(y, 4, "app.kubernetes.io/managed-by", "cengine");
	yaml_str(y, 4, "cengine.io/project", k->ns);
}
