/* SPDX-License-Identifier: MIT */
/* config.c: an image's config: Entrypoint, Cmd, Env, WorkingDir, User, StopSignal, its platform. */
#include "image/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"

/* A list of strings (NULL: the config has none); a string with a NUL or a non-string is an error. */
static int get_strv(const json_t *o, const char *key, const char *what, char ***out, struct ce_error *err)
{
	const json_t *list = json_object_get(o, key), *e;
	size_t i;

	*out = NULL;
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return ce_error_set(err, 0, "%s: config: %s is not a list of strings", what, key);
	json_array_foreach(list, i, e) {
		if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e))
			return ce_error_set(err, 0, "%s: config: %s[%zu] is not a string", what, key, i);
		if (strv_push(out, json_string_value(e)) < 0)
			return ce_error_set(err, ENOMEM, "%s", what);
	}
	return 0;
}

static int get_str(const json_t *o, const char *key, const char *what, char **out, struct ce_error *err)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return ce_error_set(err, 0, "%s: config: %s is not a string", what, key);
	if (!(*out = strdup(json_string_value(v))))
		return ce_error_set(err, ENOMEM, "%s", what);
	return 0;
}

/* Env entries are KEY=VALUE with a KEY. */
static int check_env(char **env, const char *what, struct ce_error *err)
{
	for (size_t i = 0; env && env[i]; i++)
		if (env[i][0] == '=' || !strchr(env[i], '='))
			return ce_error_set(err, 0, "%s: config: Env[%zu] is not KEY=VALUE", what, i);
	return 0;
}

int img_config_parse(const json_t *j, const char *what, struct image_config *c, struct ce_error *err)
{
	const json_t *cfg = json_object_get(j, "config");
	const char *arch = img_json_str(j, "architecture"), *os = img_json_str(j, "os");

	memset(c, 0, sizeof(*c));
	snprintf(c->arch, sizeof(c->arch), "%s", arch ? arch : "");
	snprintf(c->os, sizeof(c->os), "%s", os ? os : "");
	if (cfg && !json_is_null(cfg) && !json_is_object(cfg))
		return ce_error_set(err, 0, "%s: config: \"config\" is not an object", what);
	if (get_strv(cfg, "Entrypoint", what, &c->entrypoint, err) < 0 || get_strv(cfg, "Cmd", what, &c->cmd, err) < 0 ||
	    get_strv(cfg, "Env", what, &c->env, err) < 0 || check_env(c->env, what, err) < 0 ||
	    get_str(cfg, "WorkingDir", what, &c->workdir, err) < 0 || get_str(cfg, "User", what, &c->user, err) < 0 ||
	    get_str(cfg, "StopSignal", what, &c->stop_signal, err) < 0)
		return -1;
	if ((*c->os && strcmp(c->os, "linux")) || (*c->arch && strcmp(c->arch, img_host_arch())))
		return ce_error_set(err, 0, "%s: the image is for %.20s/%.20s, this host is linux/%s", what, c->os,
				    c->arch, img_host_arch());
	return 0;
}

void image_config_free(struct image_config *c)
{
	strv_free(c->entrypoint);
	strv_free(c->cmd);
	strv_free(c->env);
	free(c->workdir);
	free(c->user);
	free(c->stop_signal);
	memset(c, 0, sizeof(*c));
}
