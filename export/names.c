/* SPDX-License-Identifier: MIT */
/* names.c: cengine's names as Kubernetes names and pod interface names; the exporter's refusal and warning lines. */
#include "export/internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "util/escape.h"

int k8s_name(const char *name, char out[EXPORT_NAME_MAX], const char **why)
{
	size_t n = strlen(name);

	if (n == 0 || n >= EXPORT_NAME_MAX) {
		*why = "a Kubernetes name has 1 to 63 characters";
		return 1;
	}
	for (size_t i = 0; i <= n; i++)
		out[i] = name[i] == '_' ? '-' : (char)tolower((unsigned char)name[i]);
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)out[i]) && !isdigit((unsigned char)out[i]) && out[i] != '-') {
			*why = "a Kubernetes name holds only letters, digits, '-' and '_' (as '-')";
			return 1;
		}
	if (out[0] == '-' || out[n - 1] == '-') {
		*why = "a Kubernetes name starts and ends with a letter or a digit";
		return 1;
	}
	return 0;
}

void k8s_ifname(const char *ethn, char out[NET_IFNAME_MAX])
{
	bool eth = !strncmp(ethn, "eth", 3) && ethn[3] && !ethn[3 + strspn(ethn + 3, "0123456789")];

	snprintf(out, NET_IFNAME_MAX, eth ? "net%s" : "%s", eth ? ethn + 3 : ethn);	/* a name of the file's own stays */
}

int k8s_refuse(struct k8s *k, int line, const char *setting, const char *fmt, ...)
{
	char why[CE_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ce_error_set(k->err, 0, "%s:%d: %s: %s", k->p->file, line, setting, why);
	return 1;
}

void k8s_warn(struct k8s *k, int line, const char *setting, const char *fmt, ...)
{
	char why[CE_ERROR_MAX], msg[2 * CE_ERROR_MAX], safe[4 * CE_ERROR_MAX];
	va_list ap;

	if (!k->o->warn)
		return;
	for (size_t i = 0; i < k->n_warned; i++)
		if (k->warned[i].line == line && !strcmp(k->warned[i].setting, setting))
			return;
	if (k->n_warned < sizeof(k->warned) / sizeof(*k->warned))
		k->warned[k->n_warned++] = (typeof(*k->warned)){ line, setting };
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s:%d: %s: warning: %s", k->p->file, line, setting, why);
	fprintf(k->o->warn, "%s\n", escape_text(msg, safe, sizeof(safe)));
}
