/* SPDX-License-Identifier: MIT */
/* security.c: container keys for isolation: userns, cap_add, cap_drop, seccomp, spoofing. */
#include <stdio.h>
#include <string.h>

#include "model/caps.h"
#include "model/strv.h"
#include "parser/internal.h"

#define ID_MAX 0xfffffffeULL

static int id_key(struct ctx *ctx, const config_setting_t *g, const char *path, const char *key,
		  long long min, uint32_t *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	char sub[PATH_LEN];
	long long v;

	if (!s)
		return 0;
	pv_path_key(sub, path, key);
	if (pv_get_integer(ctx, s, sub, &v) < 0)
		return -1;
	if (v < min || (unsigned long long)v > ID_MAX)
		return pv_fail_at(ctx, s, sub, "%lld is out of range (%lld to %llu)", v, min, ID_MAX);
	*out = (uint32_t)v;
	return 0;
}

/* userns = true | false | { uid = 100000; gid = 100000; count = 65536; } */
static int s_userns(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	struct security *sec = &((struct container *)obj)->sec;
	char sub[PATH_LEN];
	bool on;

	if (config_setting_type(s) == CONFIG_TYPE_BOOL) {
		if (pv_get_bool(ctx, s, path, &on) < 0)
			return -1;
		sec->userns = on;
		return 0;
	}
	if (!config_setting_is_group(s))
		return pv_fail_at(ctx, s, path, "expected true, false or { uid = N; gid = N; count = N; }");
	for (int i = 0; i < config_setting_length(s); i++) {
		const char *name = config_setting_name(config_setting_get_elem(s, i));

		pv_path_key(sub, path, name);
		if (strcmp(name, "uid") && strcmp(name, "gid") && strcmp(name, "count"))
			return pv_fail_at(ctx, config_setting_get_elem(s, i), sub, "unknown key (uid, gid, count)");
	}
	sec->userns = 1;
	if (id_key(ctx, s, path, "uid", 1, &sec->uid_base) < 0 || id_key(ctx, s, path, "gid", 1, &sec->gid_base) < 0 ||
	    id_key(ctx, s, path, "count", 1, &sec->id_count) < 0)
		return -1;
	if (sec->uid_base && !sec->gid_base)
		sec->gid_base = sec->uid_base;
	if ((uint64_t)sec->uid_base + (sec->id_count ? sec->id_count : 65536) > ID_MAX + 1 ||
	    (uint64_t)sec->gid_base + (sec->id_count ? sec->id_count : 65536) > ID_MAX + 1)
		return pv_fail_at(ctx, s, path, "the range ends above the largest id %llu", ID_MAX);
	return 0;
}

/* "  userns on uid 100000 gid 100000 count 65536" (the ids set), "  userns off"; nothing unset. */
static void s_print_userns(struct printer *pr, const void *obj)
{
	const struct security *sec = &((const struct container *)obj)->sec;

	if (sec->userns < 0)
		return;
	fprintf(pr->body, "  userns %s", sec->userns ? "on" : "off");
	if (sec->userns && sec->uid_base)
		fprintf(pr->body, " uid %u", (unsigned)sec->uid_base);
	if (sec->userns && sec->gid_base)
		fprintf(pr->body, " gid %u", (unsigned)sec->gid_base);
	if (sec->userns && sec->id_count)
		fprintf(pr->body, " count %u", (unsigned)sec->id_count);
	fputc('\n', pr->body);
}

static int cap_list(struct ctx *ctx, const config_setting_t *s, const char *path, char ***out)
{
	char **names = NULL;
	char elem[PATH_LEN];

	if (pv_get_strv(ctx, s, path, &names) < 0)
		return -1;
	for (size_t i = 0; names && names[i]; i++) {
		if (caps_number(names[i]) != -1)
			continue;
		pv_path_elem(elem, path, (int)i);
		pv_fail_at(ctx, config_setting_get_elem(s, (unsigned)i), elem,
			   "\"%s\" is not a capability (like \"NET_ADMIN\" or \"ALL\")", names[i]);
		strv_free(names);
		return -1;
	}
	strv_free(*out);
	*out = names;
	return 0;
}

/* "  cap_add NET_ADMIN SYS_TIME": the names as the file gives them. */
static void print_caps(struct printer *pr, const char *key, char *const *names)
{
	if (!names)
		return;
	fprintf(pr->body, "  %s", key);
	pv_print_argv(pr->body, names);
	fputc('\n', pr->body);
}

static int s_cap_add(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return cap_list(ctx, s, path, &((struct container *)obj)->sec.cap_add);
}

static void s_print_cap_add(struct printer *pr, const void *obj)
{
	print_caps(pr, "cap_add", ((const struct container *)obj)->sec.cap_add);
}

static int s_cap_drop(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return cap_list(ctx, s, path, &((struct container *)obj)->sec.cap_drop);
}

static void s_print_cap_drop(struct printer *pr, const void *obj)
{
	print_caps(pr, "cap_drop", ((const struct container *)obj)->sec.cap_drop);
}

static int s_seccomp(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	bool on;

	if (pv_get_bool(ctx, s, path, &on) < 0)
		return -1;
	((struct container *)obj)->sec.seccomp = on;
	return 0;
}

static void s_print_seccomp(struct printer *pr, const void *obj)
{
	const struct security *sec = &((const struct container *)obj)->sec;

	if (sec->seccomp >= 0)
		pv_print_line(pr, "seccomp %s", sec->seccomp ? "on" : "off");
}

/* spoofing = true: no source MAC/IP filtering on the container's bridge ports (labs that spoof). */
static int s_spoofing(struct ctx *ctx, const config_setting_t *s, const char *path, void *obj)
{
	return pv_get_bool(ctx, s, path, &((struct container *)obj)->sec.spoofing);
}

static void s_print_spoofing(struct printer *pr, const void *obj)
{
	if (((const struct container *)obj)->sec.spoofing)
		pv_print_line(pr, "spoofing allowed (no source MAC/IP filtering on its bridge ports)");
}

const struct key pv_security_keys[] = {
	PV_KEY(s, userns), PV_KEY(s, cap_add), PV_KEY(s, cap_drop), PV_KEY(s, seccomp), PV_KEY(s, spoofing), PV_END,
};
