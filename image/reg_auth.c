/* SPDX-License-Identifier: MIT */
/* reg_auth.c: registry credentials: WWW-Authenticate challenges, bearer tokens, Docker's and Podman's auth files. */
#include "image/curl_dl.h"
#include "image/reg.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A quoted-string (backslash escapes) or a token at *p into out; *p moves past it. */
static void challenge_value(const char **p, char *out, size_t len)
{
	const char *s = *p;
	size_t n = 0;

	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			if (n + 1 < len)
				out[n++] = *s;
		}
		if (*s == '"')
			s++;
	} else {
		for (; *s && *s != ',' && *s != ' '; s++)
			if (n + 1 < len)
				out[n++] = *s;
	}
	out[n] = '\0';
	*p = s;
}

int reg_challenge_parse(const char *header, struct reg_challenge *c)
{
	const char *p = header;
	size_t n = strcspn(p, " ");

	memset(c, 0, sizeof(*c));
	if (!n || n >= sizeof(c->scheme))
		return -1;
	snprintf(c->scheme, sizeof(c->scheme), "%.*s", (int)n, p);
	for (p += n; *p;) {
		char name[32], ignored[256];
		size_t k;

		p += strspn(p, " ,\t");
		k = strcspn(p, "=, ");
		if (!k || p[k] != '=')
			break;
		snprintf(name, sizeof(name), "%.*s", (int)(k < sizeof(name) ? k : sizeof(name) - 1), p);
		p += k + 1;
		if (!strcasecmp(name, "realm"))
			challenge_value(&p, c->realm, sizeof(c->realm));
		else if (!strcasecmp(name, "service"))
			challenge_value(&p, c->service, sizeof(c->service));
		else if (!strcasecmp(name, "scope"))
			challenge_value(&p, c->scope, sizeof(c->scope));
		else
			challenge_value(&p, ignored, sizeof(ignored));
	}
	return 0;
}

/* A header value must not carry CR, LF or other controls (it is the registry's, or a file's, text). */
static bool header_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* realm?service=...&scope=..., sent the session's basic credentials when there are; the token from its JSON. */
static int fetch_token(struct reg_session *s, const struct reg_challenge *c, struct ce_error *err)
{
	char path[4096], basic[1100], scope[600], describe[256];
	char *svc = lib_dl_curl_easy_escape(s->curl, c->service, 0);
	char *scp;
	struct reg_response resp;
	struct reg_sink k;
	json_t *doc, *tok;
	int rc = -1;

	snprintf(scope, sizeof(scope), "%s", c->scope[0] ? c->scope : "");
	if (!scope[0])
		snprintf(scope, sizeof(scope), "repository:%s:pull", s->ref.repo);
	scp = lib_dl_curl_easy_escape(s->curl, scope, 0);
	snprintf(path, sizeof(path), "%s%sservice=%s&scope=%s", c->realm, strchr(c->realm, '?') ? "&" : "?",
		 svc ? svc : "", scp ? scp : "");
	lib_dl_curl_free(svc), lib_dl_curl_free(scp);
	snprintf(basic, sizeof(basic), "Authorization: Basic %s", s->basic);
	reg_sink_memory(&k, REG_TOKEN_MAX);
	if (reg_http_get(s, path, "application/json", s->basic[0] ? basic : NULL, &k, &resp, err) < 0)
		goto out;
	reg_response_describe(&resp, describe, sizeof(describe));
	if (resp.status != 200) {
		ce_error_set(err, 0, "%s: the token service refused %s: %s", reg_host(s),
			     s->basic[0] ? "the credentials" : "an anonymous pull", describe);
		goto out;
	}
	doc = json_loads(k.buf ? k.buf : "", 0, NULL);
	tok = json_object_get(doc, "token") ?: json_object_get(doc, "access_token");
	if (!json_is_string(tok) || !header_safe(json_string_value(tok)) ||
	    snprintf(s->authorization, sizeof(s->authorization), "Authorization: Bearer %s",
		     json_string_value(tok)) >= (int)sizeof(s->authorization))
		ce_error_set(err, 0, "%s: the token service's answer has no usable token", reg_host(s));
	else
		rc = 0;
	json_decref(doc);
out:
	reg_sink_free(&k);
	return rc;
}

/* s->authorization for the challenge in resp: 1 when there is something new to try, 0 when not, -1 on error. */
static int meet_challenge(struct reg_session *s, const struct reg_response *resp, struct ce_error *err)
{
	struct reg_challenge c;

	if (s->authorization[0] || reg_challenge_parse(resp->www_authenticate, &c) < 0)
		return 0;	/* tried already (wrong credentials), or no challenge to meet */
	if (!strcasecmp(c.scheme, "Basic")) {
		if (!s->basic[0])
			return 0;
		snprintf(s->authorization, sizeof(s->authorization), "Authorization: Basic %s", s->basic);
		return 1;
	}
	if (strcasecmp(c.scheme, "Bearer") || !c.realm[0])
		return ce_error_set(err, 0, "%s: unsupported authentication challenge \"%.40s\"",
				    reg_host(s), c.scheme);
	return fetch_token(s, &c, err) < 0 ? -1 : 1;
}

int reg_get(struct reg_session *s, const char *path, const char *accept, struct reg_sink *sink,
	    struct reg_response *resp, struct ce_error *err)
{
	int rc;

	if (reg_http_get(s, path, accept, s->authorization, sink, resp, err) < 0)
		return -1;
	if (resp->status != 401)
		return 0;
	rc = meet_challenge(s, resp, err);
	if (rc <= 0)
		return rc;
	return reg_http_get(s, path, accept, s->authorization, sink, resp, err);
}
