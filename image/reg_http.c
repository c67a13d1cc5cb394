/* SPDX-License-Identifier: MIT */
/* reg_http.c: one registry session over libcurl: the scheme (HTTPS, or HTTP for loopback/insecure), GETs into sinks. */
#include "image/curl_dl.h"
#include "image/reg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* What the body and header callbacks need. */
struct transfer {
	CURL *curl;
	struct reg_sink *sink;
	struct reg_response *resp;
};

void reg_sink_memory(struct reg_sink *k, size_t max)
{
	memset(k, 0, sizeof(*k));
	k->fd = -1;
	k->max = max;
	sha256_init(&k->sha);
}

void reg_sink_file(struct reg_sink *k, int fd, uint64_t expect, const char *digest, const struct registry_opts *opts)
{
	reg_sink_memory(k, 0);
	k->fd = fd;
	k->expect = expect;
	k->digest = digest;
	k->opts = opts;
}

void reg_sink_free(struct reg_sink *k)
{
	free(k->buf);
	k->buf = NULL;
}

static int sink_memory(struct reg_sink *k, const char *p, size_t n)
{
	if (k->len + n > k->max) {
		k->overflow = true;
		return -1;
	}
	if (k->len + n + 1 > k->cap) {
		size_t cap = (k->len + n + 1) * 2 < k->max + 1 ? (k->len + n + 1) * 2 : k->max + 1;
		char *b = realloc(k->buf, cap);

		if (!b)
			return k->write_failed = true, k->write_errno = ENOMEM, -1;
		k->buf = b, k->cap = cap;
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
	k->buf[k->len] = '\0';
	return 0;
}

static int sink_file(struct reg_sink *k, const char *p, size_t n)
{
	if (k->n + n > k->expect) {
		k->overflow = true;
		return -1;
	}
	for (size_t done = 0; done < n;) {
		ssize_t w = write(k->fd, p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return k->write_failed = true, k->write_errno = errno, -1;
		done += (size_t)w;
	}
	return 0;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	struct reg_sink *k = t->sink;
	size_t n = size * nmemb;
	long status = 0;

	lib_dl_curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {	/* an error's body: keep its start for the message */
		size_t take = n < sizeof(t->resp->error_body) - 1 - t->resp->error_len ?
				      n : sizeof(t->resp->error_body) - 1 - t->resp->error_len;

		memcpy(t->resp->error_body + t->resp->error_len, p, take);
		t->resp->error_len += take;
		t->resp->error_body[t->resp->error_len] = '\0';
		return n;
	}
	if ((k->fd >= 0 ? sink_file(k, p, n) : sink_memory(k, p, n)) < 0)
		return 0;	/* CURLE_WRITE_ERROR; the sink says why */
	sha256_update(&k->sha, p, n);
	k->n += n;
	if (k->opts && k->opts->progress)
		k->opts->progress(k->opts->progress_arg, k->digest, k->n, k->expect);
	return n;
}

/* "Name: value\r\n" into out when the header is name. */
static void header_value(const char *line, size_t n, const char *name, char *out, size_t len)
{
	size_t k = strlen(name);

	if (n <= k + 1 || strncasecmp(line, name, k) || line[k] != ':')
		return;
	line += k + 1, n -= k + 1;
	while (n && (*line == ' ' || *line == '\t'))
		line++, n--;
	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n' || line[n - 1] == ' '))
		n--;
	snprintf(out, len, "%.*s", (int)n, line);
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	struct reg_response *r = t->resp;
	size_t n = size * nmemb;

	if (n >= 5 && !strncmp(p, "HTTP/", 5)) {	/* a new response (after a redirect): forget the last one's */
		r->www_authenticate[0] = r->content_type[0] = r->docker_digest[0] = '\0';
		return n;
	}
	header_value(p, n, "WWW-Authenticate", r->www_authenticate, sizeof(r->www_authenticate));
	header_value(p, n, "Content-Type", r->content_type, sizeof(r->content_type));
	header_value(p, n, "Docker-Content-Digest", r->docker_digest, sizeof(r->docker_digest));
	return n;
}

static unsigned timeout_of(const struct registry_opts *o)
{
	return o->timeout ? o->timeout : REGISTRY_TIMEOUT_DEFAULT;
}

/* The options of every request: bounded waits, verified TLS, only the session's scheme (also after a
 * redirect, which blob downloads often get: to object storage), no Authorization to another host. */
static void set_common(struct reg_session *s, struct transfer *t, char *errbuf)
{
	CURL *c = s->curl;
	const char *ca = s->opts->ca_file ? s->opts->ca_file : getenv("SSL_CERT_FILE");
	const char *protocols = strncmp(s->base, "http:", 5) ? "https" : "http,https";

	lib_dl_curl_easy_reset(c);
	lib_dl_curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	lib_dl_curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	lib_dl_curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)timeout_of(s->opts));
	lib_dl_curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	lib_dl_curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)timeout_of(s->opts));
	lib_dl_curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
	lib_dl_curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
	lib_dl_curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	lib_dl_curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	lib_dl_curl_easy_setopt(c, CURLOPT_USERAGENT, "cengine/" PACKAGE_VERSION);
	if (ca && *ca)
		lib_dl_curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	lib_dl_curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	lib_dl_curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
	lib_dl_curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	lib_dl_curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
}

/* A transfer that failed: the sink's reason first (it stopped the transfer), else curl's. */
static int transfer_error(struct reg_session *s, CURLcode rc, const struct reg_sink *k, const char *errbuf,
			  struct ce_error *err)
{
	const char *host = reg_host(s);

	if (k->overflow)
		return ce_error_set(err, 0, "%s sent more than %llu bytes", host,
				    (unsigned long long)(k->fd >= 0 ? k->expect : k->max));
	if (k->write_failed)
		return ce_error_set(err, k->write_errno, "writing what %s sent", host);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return ce_error_set(err, 0, "%s: no answer within %u s (%s)", host, timeout_of(s->opts),
				    errbuf[0] ? errbuf : "timeout");
	return ce_error_set(err, 0, "%s: %s", host, errbuf[0] ? errbuf : lib_dl_curl_easy_strerror(rc));
}

int reg_http_get(struct reg_session *s, const char *path, const char *accept, const char *authorization,
		 struct reg_sink *sink, struct reg_response *resp, struct ce_error *err)
{
	char url[4096], errbuf[CURL_ERROR_SIZE] = "", acc[512];
	struct transfer t = { .curl = s->curl, .sink = sink, .resp = resp };
	struct curl_slist *h = NULL;
	CURLcode rc;

	memset(resp, 0, sizeof(*resp));
	snprintf(url, sizeof(url), "%s%s", strncmp(path, "http", 4) ? s->base : "", path);
	set_common(s, &t, errbuf);
	lib_dl_curl_easy_setopt(s->curl, CURLOPT_URL, url);
	if (accept) {
		snprintf(acc, sizeof(acc), "Accept: %s", accept);
		h = lib_dl_curl_slist_append(h, acc);
	}
	if (authorization && *authorization)
		h = lib_dl_curl_slist_append(h, authorization);
	lib_dl_curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, h);
	rc = lib_dl_curl_easy_perform(s->curl);
	lib_dl_curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	lib_dl_curl_slist_free_all(h);
	resp->curl_code = (int)rc;
	if (rc != CURLE_OK)
		return transfer_error(s, rc, sink, errbuf, err);
	return 0;
}

void reg_response_describe(const struct reg_response *r, char *out, size_t len)
{
	const char *code = strstr(r->error_body, "\"code\":\""), *msg = strstr(r->error_body, "\"message\":\"");
	int nc = code ? (int)strcspn(code + 8, "\"") : 0, nm = msg ? (int)strcspn(msg + 11, "\"") : 0;

	if (code && msg)
		snprintf(out, len, "HTTP %ld (%.*s: %.*s)", r->status, nc, code + 8, nm > 120 ? 120 : nm, msg + 11);
	else
		snprintf(out, len, "HTTP %ld", r->status);
}

/* 127.0.0.0/8, ::1 and localhost, with or without a port. */
static bool loopback(const char *host)
{
	size_t n = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":");

	return !strncmp(host, "127.", 4) || (n == 5 && !strncmp(host, "[::1]", 5)) ||
	       (n == 9 && !strncmp(host, "localhost", 9));
}

static bool insecure(const struct reg_session *s)
{
	for (size_t i = 0; i < s->opts->n_insecure; i++)
		if (!strcmp(s->opts->insecure[i], s->ref.host))
			return true;
	return loopback(reg_host(s));
}

/* HTTPS, unless the registry may be spoken to over HTTP and its HTTPS port does not speak TLS (a plain
 * HTTP server answers a TLS hello with an HTTP error: the handshake fails). A certificate that does not
 * verify is an error either way. */
static int choose_scheme(struct reg_session *s, struct ce_error *err)
{
	struct reg_response resp;
	struct reg_sink k;
	int rc;

	snprintf(s->base, sizeof(s->base), "https://%s", reg_host(s));
	if (!insecure(s))
		return 0;
	reg_sink_memory(&k, REG_MANIFEST_MAX);
	rc = reg_http_get(s, "/v2/", NULL, NULL, &k, &resp, err);
	reg_sink_free(&k);
	if (rc == 0 || resp.curl_code != CURLE_SSL_CONNECT_ERROR)
		return rc;
	snprintf(s->base, sizeof(s->base), "http://%s", reg_host(s));
	ce_error_clear(err);
	return 0;
}

int registry_ref_name(const struct image_ref *r, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%s%s%s%s%s", r->host, r->repo, r->tag[0] ? ":" : "", r->tag,
			 r->digest[0] ? "@" : "", r->digest);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

const char *reg_host(const struct reg_session *s)
{
	return strcmp(s->ref.host, IMAGEREF_DEFAULT_HOST) ? s->ref.host : "registry-1.docker.io";
}

int reg_session_open(struct reg_session *s, const char *ref, const struct registry_opts *opts, struct ce_error *err)
{
	char why[256];

	memset(s, 0, sizeof(*s));
	s->opts = opts;
	if (imageref_parse(ref, &s->ref, why, sizeof(why)) < 0 || s->ref.transport != IMAGE_REGISTRY)
		return ce_error_set(err, 0, "%s: %s", ref, s->ref.transport != IMAGE_REGISTRY ? "not a registry image" : why);
	if (curl_dl_load(err) < 0)
		return -1;
	if (registry_ref_name(&s->ref, s->ref_name, sizeof(s->ref_name)) < 0)
		return ce_error_set(err, ENAMETOOLONG, "%s", ref);
	if (reg_credentials_find(s, err) < 0)
		return -1;
	s->curl = lib_dl_curl_easy_init();
	if (!s->curl)
		return ce_error_set(err, ENOMEM, "curl_easy_init");
	return choose_scheme(s, err);
}

void reg_session_close(struct reg_session *s)
{
	if (s->curl)
		lib_dl_curl_easy_cleanup(s->curl);
	s->curl = NULL;
	explicit_bzero(s->authorization, sizeof(s->authorization));
	explicit_bzero(s->basic, sizeof(s->basic));
}
