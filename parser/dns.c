/* SPDX-License-Identifier: MIT */
/* dns.c: container keys for name resolution inside it: dns, dns_search (/etc/resolv.conf), extra_hosts (/etc/hosts). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"
#include "parser/internal.h"

#define DOMAIN_MAX 253		/* a domain name in text, RFC 1035 */
#define ADDR_TEXT 64

/* An IPv4 or IPv6 address in text (no prefix), rewritten in its canonical form into out. */
static bool canonical_addr(const char *s, char out[ADDR_TEXT])
{
	unsigned char a[16];

	if (inet_pton(AF_INET, s, a) == 1)
		return inet_ntop(AF_INET, a, out, ADDR_TEXT) != NULL;
	if (inet_pton(AF_INET6, s, a) == 1)
		return inet_ntop(AF_INET6, a, out, ADDR_TEXT) != NULL;
	return false;
}

static int ok_nameserver(struct ctx *ctx, const config_setting_t *s, const char *path, char **list, size_t i)
{
	char canon[ADDR_TEXT];

	if (!canonical_addr(list[i], canon))
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv4 or IPv6 address", list[i]);
	return 0;
}

static int ok_domain(struct ctx *ctx, const config_setting_t *s, const char *path, char **list, size_t i)
{
	if (strlen(list[i]) > DOMAIN_MAX || !pv_valid_hostname(list[i]))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a domain name", list[i]);
	return 0;
}

/* "name:1.2.3.4", "name:[fd00::1]", "name:fd00::1" or "name=ADDR" (Compose's forms) into "ADDR\tname". */
static int ok_host(struct ctx *ctx, const config_setting_t *s, const char *path, char **list, size_t i)
{
	size_t cut = strcspn(list[i], ":=");
	char name[DOMAIN_MAX + 2], addr[ADDR_TEXT], canon[ADDR_TEXT];
	char *line;

	if (!list[i][cut] || !cut || cut > DOMAIN_MAX)
		return pv_fail_at(ctx, s, path, "\"%s\" is not NAME:ADDRESS", list[i]);
	snprintf(name, sizeof(name), "%.*s", (int)cut, list[i]);
	snprintf(addr, sizeof(addr), "%s", list[i] + cut + 1);
	if (addr[0] == '[' && strlen(addr) > 2 && addr[strlen(addr) - 1] == ']') {
		memmove(addr, addr + 1, strlen(addr));
		addr[strlen(addr) - 1] = '\0';
	}
	if (!pv_valid_hostname(name))
		return pv_fail_at(ctx, s, path, "\"%s\" is not a valid host name", name);
	if (!canonical_addr(addr, canon))
		return pv_fail_at(ctx, s, path, "\"%s\" is not an IPv4 or IPv6 address", list[i] + cut + 1);
	if (asprintf(&line, "%s\t%s", canon, name) < 0)
		return pv_oom(ctx);
	free(list[i]);
	list[i] = line;
	return 0;
}

static int c_dns(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_set_strv_checked(ctx, s, path, &((struct container *)obj)->svc.dns, ok_nameserver);
}

static int c_dns_search(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_set_strv_checked(ctx, s, path, &((struct container *)obj)->svc.dns_search, ok_domain);
}

static int c_extra_hosts(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_set_strv_checked(ctx, s, path, &((struct container *)obj)->svc.extra_hosts, ok_host);
}

/* "  WORD a b c" when v is set. */
static void print_words(struct printer *pr, const char *word, char *const *v)
{
	if (!v)
		return;
	fprintf(pr->body, "  %s", word);
	for (; *v; v++)
		fprintf(pr->body, " %s", *v);
	fputc('\n', pr->body);
}

static void c_print_dns(struct printer *pr, const void *obj)
{
	print_words(pr, "dns", ((const struct container *)obj)->svc.dns);
}

static void c_print_dns_search(struct printer *pr, const void *obj)
{
	print_words(pr, "dns_search", ((const struct container *)obj)->svc.dns_search);
}

/* "  extra_host db 10.1.2.3", one line each. */
static void c_print_extra_hosts(struct printer *pr, const void *obj)
{
	for (char **h = ((const struct container *)obj)->svc.extra_hosts; h && *h; h++) {
		const char *tab = strchr(*h, '\t');

		pv_print_line(pr, "extra_host %s %.*s", tab + 1, (int)(tab - *h), *h);
	}
}

const struct key pv_dns_keys[] = {
	PV_KEY(c, dns), PV_KEY(c, dns_search), PV_KEY(c, extra_hosts), PV_END,
};

/* /etc/resolv.conf is written from dns or dns_search: a `files` entry there too is refused. */
int pv_dns_check(struct ctx *ctx, const config_setting_t *root)
{
	struct pv_entries x = { 0 };
	char path[PATH_LEN];
	int rc = pv_entries_build(ctx, root, &x);

	for (size_t i = 0; i < ctx->p->n_containers && rc == 0; i++) {
		const struct container *c = &ctx->p->containers[i];
		const config_setting_t *at;

		if (!c->svc.dns && !c->svc.dns_search)
			continue;
		for (size_t k = 0; k < c->fx.n_files && rc == 0; k++) {
			if (strcmp(c->fx.files[k].path, "/etc/resolv.conf"))
				continue;
			at = config_setting_get_member(x.setting[i], "files");
			snprintf(path, sizeof(path), "containers.[%d].files", x.index[i]);
			rc = pv_fail_at(ctx, at ? at : x.setting[i], path,
					"/etc/resolv.conf is written from dns and dns_search; set one or the other");
		}
	}
	pv_entries_free(&x);
	return rc;
}
