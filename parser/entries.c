/* SPDX-License-Identifier: MIT */
/* entries.c: which entry of the file's containers list made each container (count copies share one), for checks after the list is read. */
#include <stdlib.h>

#include "parser/internal.h"

int pv_entries_build(struct ctx *ctx, const config_setting_t *root, struct pv_entries *x)
{
	const config_setting_t *list = config_setting_get_member(root, "containers");
	size_t k = 0;

	x->setting = calloc(ctx->p->n_containers + 1, sizeof(*x->setting));
	x->index = calloc(ctx->p->n_containers + 1, sizeof(*x->index));
	if (!x->setting || !x->index)
		return pv_oom(ctx);
	for (int i = 0; list && i < config_setting_length(list); i++) {
		const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		const config_setting_t *count = config_setting_get_member(e, "count");
		long copies = count ? (long)config_setting_get_int64(count) : 1;

		for (long c = 0; c < copies && k < ctx->p->n_containers; c++, k++)
			x->setting[k] = e, x->index[k] = i;
	}
	return 0;
}

void pv_entries_free(struct pv_entries *x)
{
	free(x->setting);
	free(x->index);
	x->setting = NULL, x->index = NULL;
}
