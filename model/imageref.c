/* SPDX-License-Identifier: MIT */
/* imageref.c: an `image` value (containers-transports(5) syntax) into its parts, and back into its canonical text. */
#include "model/imageref.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4)))
static int why_is(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int copy_part(char *dst, size_t size, const char *src, size_t n, const char *what, char *why, size_t len)
{
	if (n >= size)
		return why_is(why, len, "%s is longer than %zu bytes", what, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:NAME:TAG]: the path ends at the
 * first ':' (as skopeo splits it), the rest is the reference inside. */
static int parse_file(const char *rest, struct image_ref *r, char *why, size_t len)
{
	const char *colon = strchr(rest, ':');
	size_t n = colon ? (size_t)(colon - rest) : strlen(rest);

	if (!n)
		return why_is(why, len, "the transport needs a path (oci:DIR, oci-archive:FILE, docker-archive:FILE)");
	if (copy_part(r->path, sizeof(r->path), rest, n, "the path", why, len) < 0)
		return -1;
	if (colon && !colon[1])
		return why_is(why, len, "an empty reference after the path");
	if (colon && copy_part(r->ref, sizeof(r->ref), colon + 1, strlen(colon + 1), "the reference", why, len) < 0)
		return -1;
	for (const char *c = r->ref; *c; c++)
		if (!isgraph((unsigned char)*c))
			return why_is(why, len, "the reference has a blank or control character");
	return 0;
}

/* A repository path component: lowercase letters and digits, separated by '.', '_' or '-'. */
static bool valid_component(const char *s, size_t n)
{
	if (!n || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || strchr("._-", s[i])))
			return false;
	return true;
}

static bool valid_repo(const char *repo)
{
	for (const char *p = repo;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (!valid_component(p, n))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

static bool valid_tag(const char *t)
{
	size_t n = strlen(t);

	if (!n || n > 128 || !(isalnum((unsigned char)t[0]) || t[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)t[i]) || strchr("_.-", t[i])))
			return false;
	return true;
}

static bool valid_digest(const char *d)
{
	if (strncmp(d, "sha256:", 7) || strlen(d) != 7 + 64)
		return false;
	for (d += 7; *d; d++)
		if (!isxdigit((unsigned char)*d) || isupper((unsigned char)*d))
			return false;
	return true;
}

static bool valid_host(const char *h)
{
	if (!*h)
		return false;
	for (; *h; h++)
		if (!(isalnum((unsigned char)*h) || strchr(".-:[]", *h)))
			return false;
	return true;
}

/* HOST/ when the first component looks like one (a '.' or ':' in it, or "localhost"), as Docker. */
static int split_host(const char *name, struct image_ref *r, const char **repo, char *why, size_t len)
{
	const char *slash = strchr(name, '/');
	size_t n = slash ? (size_t)(slash - name) : 0;

	if (slash && (memchr(name, '.', n) || memchr(name, ':', n) || (n == 9 && !strncmp(name, "localhost", 9)))) {
		if (copy_part(r->host, sizeof(r->host), name, n, "the registry host", why, len) < 0)
			return -1;
		if (!valid_host(r->host))
			return why_is(why, len, "\"%s\" is not a registry host", r->host);
		*repo = slash + 1;
	} else {
		strcpy(r->host, IMAGEREF_DEFAULT_HOST);
		*repo = name;
	}
	if (!strcmp(r->host, "index.docker.io"))
		strcpy(r->host, IMAGEREF_DEFAULT_HOST);
	return 0;
}

/* [HOST[:PORT]/]NAME[:TAG][@DIGEST] */
static int parse_registry(const char *s, struct image_ref *r, char *why, size_t len)
{
	char name[IMAGEREF_MAX];
	const char *at = strchr(s, '@'), *repo = NULL;
	char *colon, *slash;

	if (copy_part(name, sizeof(name), s, at ? (size_t)(at - s) : strlen(s), "the name", why, len) < 0)
		return -1;
	if (at && (copy_part(r->digest, sizeof(r->digest), at + 1, strlen(at + 1), "the digest", why, len) < 0 ||
		   !valid_digest(r->digest)))
		return why_is(why, len, "the digest is not sha256: and 64 lowercase hex digits");
	slash = strrchr(name, '/');
	colon = strrchr(slash ? slash : name, ':');
	if (colon) {
		*colon = '\0';
		if (!valid_tag(colon + 1))
			return why_is(why, len, "\"%s\" is not a tag (letters, digits, _ . -, at most 128)", colon + 1);
		strcpy(r->tag, colon + 1);
	} else if (!at) {
		strcpy(r->tag, IMAGEREF_DEFAULT_TAG);
	}
	if (split_host(name, r, &repo, why, len) < 0)
		return -1;
	if (!strcmp(r->host, IMAGEREF_DEFAULT_HOST) && !strchr(repo, '/')) {
		if (strlen(repo) + 8 >= sizeof(r->repo))
			return why_is(why, len, "the name is longer than %zu bytes", sizeof(r->repo) - 9);
		strcpy(r->repo, "library/");
		strcat(r->repo, repo);
	} else if (copy_part(r->repo, sizeof(r->repo), repo, strlen(repo), "the name", why, len) < 0) {
		return -1;
	}
	if (!valid_repo(r->repo))
		return why_is(why, len, "\"%s\" is not an image name (lowercase letters, digits, . _ - and /)", repo);
	return 0;
}

static const struct {
	const char *prefix;
	enum image_transport t;
} transports[] = {
	{ "oci:", IMAGE_OCI }, { "oci-archive:", IMAGE_OCI_ARCHIVE }, { "docker-archive:", IMAGE_DOCKER_ARCHIVE },
	{ "docker://", IMAGE_REGISTRY },
};

/* Transports of containers-transports(5) that cengine does not read: said so, not taken for a name. */
static const char *const unsupported[] = { "containers-storage:", "dir:", "docker-daemon:", "ostree:", "sif:" };

int imageref_parse(const char *s, struct image_ref *r, char *why, size_t len)
{
	memset(r, 0, sizeof(*r));
	if (!*s)
		return why_is(why, len, "must not be empty");
	if (strlen(s) >= IMAGEREF_MAX)
		return why_is(why, len, "is longer than %d bytes", IMAGEREF_MAX - 1);
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(*unsupported); i++)
		if (!strncmp(s, unsupported[i], strlen(unsupported[i])))
			return why_is(why, len, "the transport %.*s is not supported (oci:, oci-archive:, docker-archive:, "
				      "docker:// or a registry name)", (int)strlen(unsupported[i]) - 1, unsupported[i]);
	r->transport = IMAGE_REGISTRY;
	for (size_t i = 0; i < sizeof(transports) / sizeof(*transports); i++)
		if (!strncmp(s, transports[i].prefix, strlen(transports[i].prefix))) {
			r->transport = transports[i].t;
			s += strlen(transports[i].prefix);
			break;
		}
	if (r->transport == IMAGE_REGISTRY)
		return parse_registry(s, r, why, len);
	return parse_file(s, r, why, len);
}

void imageref_format(const struct image_ref *r, char *buf, size_t len)
{
	static const char *const names[] = { "oci", "oci-archive", "docker-archive" };

	if (r->transport != IMAGE_REGISTRY) {
		snprintf(buf, len, "%s:%s%s%s", names[r->transport], r->path, *r->ref ? ":" : "", r->ref);
		return;
	}
	snprintf(buf, len, "docker://%s/%s%s%s%s%s", r->host, r->repo, *r->tag ? ":" : "", r->tag,
		 *r->digest ? "@" : "", r->digest);
}
