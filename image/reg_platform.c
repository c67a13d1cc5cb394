/* SPDX-License-Identifier: MIT */
/* reg_platform.c: the platform an image must be for (this host's, as Go names it) and picking it from an index. */
#include "image/reg.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The platform wanted: opts', else this host's architecture (any variant). */
static void wanted(const struct registry_opts *o, const char **arch, const char **variant)
{
	*arch = o->arch ? o->arch : img_host_arch();
	*variant = o->variant ? o->variant : "";
}

/* os/arch/variant of a platform object (index entry) or of a config: does it match? */
static bool matches(json_t *obj, const char *arch, const char *variant)
{
	const char *os = json_string_value(json_object_get(obj, "os"));
	const char *a = json_string_value(json_object_get(obj, "architecture"));
	const char *v = json_string_value(json_object_get(obj, "variant"));

	if (!os || !a || strcmp(os, "linux") || strcmp(a, arch))
		return false;
	return !v || !*v || !*variant || !strcmp(v, variant);	/* arm64 images often leave v8 out */
}

/* "linux/arm64/v8" of a platform object into out. */
static void describe(json_t *obj, char *out, size_t len)
{
	const char *v = json_string_value(json_object_get(obj, "variant"));

	snprintf(out, len, "%s/%s%s%s", json_string_value(json_object_get(obj, "os")) ?: "?",
		 json_string_value(json_object_get(obj, "architecture")) ?: "?", v && *v ? "/" : "", v && *v ? v : "");
}

int reg_platform_select(const char *index_json, const struct registry_opts *opts, char digest[72],
			char media_type[256], struct ce_error *err)
{
	json_t *doc = json_loads(index_json, 0, NULL), *m, *p;
	const char *arch, *variant, *d;
	char have[256] = "", one[64];
	size_t i;

	wanted(opts, &arch, &variant);
	json_array_foreach(json_object_get(doc, "manifests"), i, m) {
		p = json_object_get(m, "platform");
		d = json_string_value(json_object_get(m, "digest"));
		if (d && img_valid_digest(d) && matches(p, arch, variant)) {
			snprintf(digest, 72, "%s", d);
			snprintf(media_type, 256, "%s", json_string_value(json_object_get(m, "mediaType")) ?: "");
			json_decref(doc);
			return 0;
		}
		describe(p, one, sizeof(one));
		if (strlen(have) + strlen(one) + 3 < sizeof(have))
			snprintf(have + strlen(have), sizeof(have) - strlen(have), "%s%s", have[0] ? ", " : "", one);
	}
	json_decref(doc);
	return ce_error_set(err, 0, "no image for linux/%s%s%s in the index (it has: %s)", arch, *variant ? "/" : "",
			    variant, have[0] ? have : "nothing");
}

int reg_platform_check_config(const char *config_json, const struct registry_opts *opts, struct ce_error *err)
{
	json_t *doc = json_loads(config_json, 0, NULL);
	const char *arch, *variant;
	char have[64];
	int rc = 0;

	wanted(opts, &arch, &variant);
	if (!json_is_object(doc)) {
		rc = ce_error_set(err, 0, "the image's config is not a JSON object");
	} else if (!matches(doc, arch, variant)) {
		describe(doc, have, sizeof(have));
		rc = ce_error_set(err, 0, "the image is for %s, not linux/%s%s%s", have, arch, *variant ? "/" : "",
				  variant);
	}
	json_decref(doc);
	return rc;
}
