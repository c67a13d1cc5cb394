/* SPDX-License-Identifier: MIT */
/* fixture.c: container keys for what its processes get: devices, sysctls, user, workdir, shm_size. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/devices.h"
#include "model/fixture.h"
#include "model/strv.h"
#include "parser/internal.h"
#include "util/cleanup.h"

#define SYSCTL_VALUE_MAX 1024
#define USER_NAME_MAX 32		/* useradd's limit */
#define ID_LARGEST 4294967294ULL	/* (uid_t)-1 is no id */

/* ---- devices = [ "/dev/net/tun", "/dev/fuse" ] ---- */

static int f_devices(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct fixture *f = &((struct container *)obj)->fx;
	char **list = NULL;
	char elem[PATH_LEN];

	if (pv_fixture_list(ctx, s, path, "\"/dev/...\"") < 0 || pv_get_strv(ctx, s, path, &list) < 0)
		return -1;
	for (size_t i = 0; list && list[i]; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

		pv_path_elem(elem, path, (int)i);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(list[k], list[i])) {
				pv_fail_at(ctx, e, elem, "%s is listed twice", list[i]);
				strv_free(list);
				return -1;
			}
		if (!devices_known(list[i])) {
			pv_fail_at(ctx, e, elem, "\"%s\" is not a device a container may have (%s)", list[i], devices_known_list());
			strv_free(list);
			return -1;
		}
	}
	strv_free(f->devices);
	f->devices = list;
	return 0;
}

static void f_print_devices(struct printer *pr, const void *obj)
{
	char *const *d = ((const struct container *)obj)->fx.devices;

	for (; d && *d; d++)
		pv_print_line(pr, "device %s (c %d:%d)", *d, devices_known(*d)->major, devices_known(*d)->minor);
}

/* ---- sysctls = [ "net.ipv4.ip_forward=1" ] ---- */

/* The sysctls of the container's own net, IPC and UTS namespaces (Docker's list): nothing of the host's. */
static bool sysctl_namespaced(const char *p)
{
	static const char *const prefixes[] = { "net/", "kernel/shm", "kernel/msg", "fs/mqueue/" };
	static const char *const exact[] = { "kernel/sem", "kernel/sem_next_id", "kernel/domainname" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (!strncmp(p, prefixes[i], strlen(prefixes[i])) && p[strlen(prefixes[i])])
			return true;
	for (size_t i = 0; i < sizeof(exact) / sizeof(*exact); i++)
		if (!strcmp(p, exact[i]))
			return true;
	return false;
}

/* Components of letters, digits, '_', '-', '.' ('.' only in a '/'-separated key), none "." or "..". */
static bool sysctl_path_valid(const char *p)
{
	for (const char *c = p; *c;) {
		size_t n = strcspn(c, "/");

		if (!n || (n == 1 && *c == '.') || (n == 2 && !strncmp(c, "..", 2)))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)c[i]) && !strchr("_-.", c[i]))
				return false;
		c += n;
		if (*c == '/' && !*++c)
			return false;
	}
	return *p != '\0';
}

static int parse_sysctl(struct ctx *ctx, const config_setting_t *e, const char *elem, const char *str, void *item)
{
	struct sysctl *sc = item;
	const char *eq = strchr(str, '=');
	char p[256];

	if (!eq || eq == str || !eq[1])
		return pv_fail_at(ctx, e, elem, "\"%s\" is not KEY=VALUE", str);
	if ((size_t)(eq - str) >= sizeof(p) || strlen(eq + 1) > SYSCTL_VALUE_MAX)
		return pv_fail_at(ctx, e, elem, "\"%s\" is too long", str);
	if (!(sc->key = strndup(str, (size_t)(eq - str))) || !(sc->value = strdup(eq + 1)))
		return pv_oom(ctx);
	fixture_sysctl_path(sc->key, p, sizeof(p));
	if (!sysctl_path_valid(p))
		return pv_fail_at(ctx, e, elem, "\"%s\" is not a sysctl name", sc->key);
	if (!strcmp(p, "kernel/hostname"))
		return pv_fail_at(ctx, e, elem, "kernel.hostname: use the hostname key");
	if (!sysctl_namespaced(p))
		return pv_fail_at(ctx, e, elem, "%s is not namespaced with the container (net.*, kernel.shm*, kernel.msg*, "
				  "kernel.sem, kernel.domainname, fs.mqueue.*): it would change the host (refused)", sc->key);
	for (const char *c = sc->value; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return pv_fail_at(ctx, e, elem, "the value of %s has a control character", sc->key);
	return 0;
}

static void drop_sysctls(void *v, size_t n)
{
	fixture_sysctls_free(v, n);
}

static int f_sysctls(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct fixture *f = &((struct container *)obj)->fx;
	struct pv_items it;

	if (pv_string_items(ctx, s, path, "\"KEY=VALUE\"", sizeof(struct sysctl), parse_sysctl, drop_sysctls, &it) < 0)
		return -1;
	fixture_sysctls_free(f->sysctls, f->n_sysctls);
	f->sysctls = it.v, f->n_sysctls = it.n;
	return 0;
}

static void f_print_sysctls(struct printer *pr, const void *obj)
{
	const struct fixture *f = &((const struct container *)obj)->fx;

	for (size_t i = 0; i < f->n_sysctls; i++)
		pv_print_line(pr, "sysctl %s=%s", f->sysctls[i].key, f->sysctls[i].value);
}

/* ---- user = "1000:1000" | "name[:group]", workdir = "/src", shm_size = "64M" ---- */

/* A uid or gid (digits, at most ID_LARGEST) or a user or group name. */
static bool id_or_name(const char *s, size_t n)
{
	size_t digits = strspn(s, "0123456789");

	if (!n || n > USER_NAME_MAX)
		return false;
	if (digits >= n)
		return n <= 10 && strtoull(s, NULL, 10) <= ID_LARGEST;
	if (s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]) && !(s[i] == '$' && i == n - 1))
			return false;
	return true;
}

static int f_user(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct fixture *f = &((struct container *)obj)->fx;
	const char *str = NULL, *colon;

	if (pv_get_string(ctx, s, path, &str) < 0)
		return -1;
	colon = strchr(str, ':');
	if (!id_or_name(str, colon ? (size_t)(colon - str) : strlen(str)) || (colon && !id_or_name(colon + 1, strlen(colon + 1))))
		return pv_fail_at(ctx, s, path, "\"%s\" is not \"UID[:GID]\" or \"NAME[:GROUP]\"", str);
	free(f->user);
	return (f->user = strdup(str)) ? 0 : pv_oom(ctx);
}

static void f_print_user(struct printer *pr, const void *obj)
{
	const struct fixture *f = &((const struct container *)obj)->fx;

	if (f->user)
		pv_print_line(pr, "user %s (from the container's /etc/passwd and /etc/group)", f->user);
}

static int f_workdir(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct fixture *f = &((struct container *)obj)->fx;
	const char *str = NULL;
	char *dir;

	if (pv_get_string(ctx, s, path, &str) < 0 || !(dir = pv_inside_path(ctx, s, path, str, 0)))
		return -1;
	free(f->workdir);
	f->workdir = dir;
	return 0;
}

static void f_print_workdir(struct printer *pr, const void *obj)
{
	const struct fixture *f = &((const struct container *)obj)->fx;

	if (f->workdir)
		pv_print_line(pr, "workdir %s", f->workdir);
}

static int f_shm_size(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_get_size(ctx, s, path, false, &((struct container *)obj)->fx.shm_size);
}

static void f_print_shm_size(struct printer *pr, const void *obj)
{
	const struct fixture *f = &((const struct container *)obj)->fx;

	if (f->shm_size)
		pv_print_line(pr, "shm_size %llu", (unsigned long long)f->shm_size);
}

const struct key pv_fixture_keys[] = {
	PV_KEY(f, devices), PV_KEY(f, sysctls), PV_KEY(f, user), PV_KEY(f, workdir), PV_KEY(f, shm_size), PV_END,
};
