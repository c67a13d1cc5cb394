/* SPDX-License-Identifier: MIT */
/* reg_cred.c: a registry's credentials from the files Podman and Docker users have (auth.json, config.json). */
#include "image/reg.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An "auths" key as the registry it names: "https://index.docker.io/v1/" -> "index.docker.io". */
static void key_host(const char *key, char *out, size_t len)
{
	if (!strncmp(key, "https://", 8))
		key += 8;
	else if (!strncmp(key, "http://", 7))
		key += 7;
	snprintf(out, len, "%s", key);
	if (strstr(out, "/v1/") || strstr(out, "/v2/"))
		*strstr(out, "/v") = '\0';
}

/* Docker Hub is filed under any of its names. */
static bool same_registry(const char *host, const char *domain)
{
	static const char *const hub[] = { "docker.io", "index.docker.io", "registry-1.docker.io" };
	bool a = false, b = false;

	if (!strcmp(host, domain))
		return true;
	for (size_t i = 0; i < sizeof(hub) / sizeof(hub[0]); i++)
		a |= !strcmp(host, hub[i]), b |= !strcmp(domain, hub[i]);
	return a && b;
}

/* How well key matches the session: 0 not, 1 the registry, 2 + its length for a namespace of the
 * repository (Podman's "quay.io/team" entries: the longest wins). */
static size_t key_match(const struct reg_session *s, const char *key)
{
	char host[512], full[520];
	size_t n;

	key_host(key, host, sizeof(host));
	if (same_registry(host, s->ref.host))
		return 1;
	snprintf(full, sizeof(full), "%s/%s", s->ref.host, s->ref.repo);
	n = strlen(host);
	if (strchr(host, '/') && !strncmp(full, host, n) && (full[n] == '/' || !full[n]))
		return 2 + n;
	return 0;
}

/* The best "auth" of file path's "auths" for the session into s->basic: 1 found, 0 not, -1 bad file (or a
 * missing one that was named). */
static int from_file(struct reg_session *s, const char *path, bool named, struct ce_error *err)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je), *entry;
	const char *key, *auth = NULL;
	size_t best = 0;

	if (!doc) {
		if (!named && access(path, F_OK) < 0 && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		if (je.line < 0)	/* not read at all */
			return ce_error_set(err, errno, "%s", path);
		return ce_error_set(err, 0, "%s:%d: %s", path, je.line, je.text);
	}
	json_object_foreach(json_object_get(doc, "auths"), key, entry) {
		json_t *a = json_object_get(entry, "auth");
		size_t m = key_match(s, key);

		if (m > best && json_is_string(a) && json_string_length(a))
			best = m, auth = json_string_value(a);
	}
	if (auth && (strspn(auth, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen(auth) ||
		     strlen(auth) >= sizeof(s->basic))) {
		json_decref(doc);
		return ce_error_set(err, 0, "%s: auths: the \"auth\" for %s is not base64", path, s->ref.host);
	}
	if (auth)
		snprintf(s->basic, sizeof(s->basic), "%s", auth);
	json_decref(doc);
	return auth ? 1 : 0;
}

int reg_credentials_find(struct reg_session *s, struct ce_error *err)
{
	char paths[3][4096];
	const char *env;
	size_t n = 0;
	int rc;

	if (s->opts->auth_file)
		return from_file(s, s->opts->auth_file, true, err) < 0 ? -1 : 0;
	if ((env = getenv("REGISTRY_AUTH_FILE")) && *env)
		snprintf(paths[n++], sizeof(paths[0]), "%s", env);
	if ((env = getenv("XDG_RUNTIME_DIR")) && *env)
		snprintf(paths[n++], sizeof(paths[0]), "%s/containers/auth.json", env);
	if ((env = getenv("DOCKER_CONFIG")) && *env)
		snprintf(paths[n++], sizeof(paths[0]), "%s/config.json", env);
	else if ((env = getenv("HOME")) && *env)
		snprintf(paths[n++], sizeof(paths[0]), "%s/.docker/config.json", env);
	for (size_t i = 0; i < n; i++)
		if ((rc = from_file(s, paths[i], false, err)) != 0)
			return rc < 0 ? -1 : 0;
	return 0;
}
