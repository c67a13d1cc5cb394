/* SPDX-License-Identifier: MIT */
/* ref.c: image references parsed and normalised as Docker's distribution/reference does (docker.io/library/). */
#include "image/ref.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define NAME_MAX_LEN 255	/* distribution/reference: the whole name */
#define TAG_MAX_LEN 128

static bool lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*, of n bytes at s. */
static bool component_valid(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t run = 0, sep = i;

		while (i < n && lower_alnum(s[i]))
			i++, run++;
		if (!run)
			return false;
		if (i == n)
			return true;
		if (s[i] == '.' || (s[i] == '_' && s[i + 1] != '_'))
			i++;
		else if (s[i] == '_')
			i += 2;
		else
			while (i < n && s[i] == '-')
				i++;
		if (i == sep + run || i == n)
			return false;	/* not a separator, or a separator at the end */
	}
	return false;
}

static bool path_valid(const char *path)
{
	const char *p = path, *slash;

	do {
		slash = strchr(p, '/');
		if (!component_valid(p, slash ? (size_t)(slash - p) : strlen(p)))
			return false;
		p = slash + 1;
	} while (slash);
	return true;
}

/* A domain: host name labels, an IPv4 address or a bracketed IPv6 one, then an optional :port. */
static bool domain_valid(const char *d)
{
	const char *port = d[0] == '[' ? strstr(d, "]") : d;
	size_t n;

	if (!port)
		return false;
	if (d[0] == '[') {
		if (strspn(d + 1, "0123456789abcdefABCDEF:.") != (size_t)(port - d - 1))
			return false;
		port++;
	} else {
		n = strspn(d, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
		if (!n || d[0] == '-' || d[0] == '.')
			return false;
		port = d + n;
	}
	if (!*port)
		return true;
	return port[0] == ':' && port[1] && strspn(port + 1, "0123456789") == strlen(port + 1) && strlen(port + 1) <= 5;
}

int image_ref_digest_valid(const char *digest)
{
	return !strncmp(digest, "sha256:", 7) && strlen(digest) == 71 && strspn(digest + 7, "0123456789abcdef") == 64;
}

static bool tag_valid(const char *t)
{
	static const char word[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
	size_t n = strlen(t);

	return n && n <= TAG_MAX_LEN && strchr(word, t[0]) &&
	       strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* Docker's rule: the first component is a domain when it has a '.' or a ':', is "localhost", or has an
 * upper-case letter (a path cannot); otherwise the domain is docker.io, where a lone name is library/NAME. */
static bool is_domain(const char *first, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (first[i] == '.' || first[i] == ':' || (first[i] >= 'A' && first[i] <= 'Z'))
			return true;
	return n == 9 && !strncmp(first, "localhost", 9);
}

/* name (DOMAIN/PATH or PATH) into r->domain and r->path, with Docker's defaults: NULL, or why not. */
static const char *split_name(const char *name, struct image_ref *r)
{
	const char *slash = strchr(name, '/');
	const char *path = name;
	int n;

	if (slash && is_domain(name, (size_t)(slash - name))) {
		snprintf(r->domain, sizeof(r->domain), "%.*s", (int)(slash - name), name);
		path = slash + 1;
		if (!domain_valid(r->domain))
			return "not a registry host[:port]";
	} else {
		snprintf(r->domain, sizeof(r->domain), "%s", IMAGE_REF_DOCKER_HUB);
	}
	if (!strcmp(r->domain, "index.docker.io"))
		snprintf(r->domain, sizeof(r->domain), "%s", IMAGE_REF_DOCKER_HUB);
	if (!strcmp(r->domain, IMAGE_REF_DOCKER_HUB) && !strchr(path, '/'))
		n = snprintf(r->path, sizeof(r->path), "library/%s", path);
	else
		n = snprintf(r->path, sizeof(r->path), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(r->path) || strlen(r->domain) + 1 + (size_t)n > NAME_MAX_LEN)
		return "name longer than 255 characters";
	if (!path_valid(r->path))
		return "repository name must be lowercase letters, digits and . _ __ - separators between /";
	return NULL;
}

/* Cut "@DIGEST" then ":TAG" (a ':' after the last '/') off buf into r: NULL, or why not. */
static const char *split_suffixes(char *buf, struct image_ref *r)
{
	char *at = strchr(buf, '@'), *colon, *slash;

	if (at) {
		*at = '\0';
		if (!image_ref_digest_valid(at + 1))
			return "digest must be sha256: and 64 lowercase hex digits";
		snprintf(r->digest, sizeof(r->digest), "%s", at + 1);
	}
	slash = strrchr(buf, '/');
	colon = strrchr(slash ? slash : buf, ':');
	if (colon) {
		*colon = '\0';
		if (!tag_valid(colon + 1))
			return "tag must be 1-128 of letters, digits, _ . - (not first . or -)";
		snprintf(r->tag, sizeof(r->tag), "%s", colon + 1);
	}
	if (!r->tag[0] && !r->digest[0])
		snprintf(r->tag, sizeof(r->tag), "latest");
	return NULL;
}

int image_ref_parse(const char *s, struct image_ref *r, struct ce_error *err)
{
	char buf[512];
	const char *in = strncmp(s, "docker://", 9) ? s : s + 9, *why;

	memset(r, 0, sizeof(*r));
	if (strlen(in) >= sizeof(buf))
		return ce_error_set(err, EINVAL, "image reference too long (%zu bytes)", strlen(in));
	snprintf(buf, sizeof(buf), "%s", in);
	why = !buf[0] ? "empty" : split_suffixes(buf, r);
	if (!why)
		why = split_name(buf, r);
	if (why)
		return ce_error_set(err, 0, "%s: not an image reference: %s", s, why);
	return 0;
}

void image_ref_name(const struct image_ref *r, char *out, size_t len)
{
	snprintf(out, len, "%s/%s%s%s%s%s", r->domain, r->path, r->tag[0] ? ":" : "", r->tag,
		 r->digest[0] ? "@" : "", r->digest);
}

const char *image_ref_host(const struct image_ref *r)
{
	return strcmp(r->domain, IMAGE_REF_DOCKER_HUB) ? r->domain : "registry-1.docker.io";
}
