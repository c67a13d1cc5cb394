/* SPDX-License-Identifier: MIT */
/* export.c: `cengine export kubernetes FILE [-o DIR|-] [--namespace NS] [--init-image IMAGE]`: the project as manifests for a cluster. */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "export/export.h"
#include "util/cleanup.h"
#include "util/escape.h"

enum { OPT_NAMESPACE = CLI_LONG_ONLY, OPT_INIT_IMAGE };

static const struct option longs[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "namespace", required_argument, NULL, OPT_NAMESPACE },
	{ "init-image", required_argument, NULL, OPT_INIT_IMAGE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct export_cli {
	const char *dir;	/* NULL or "-": stdout */
	struct export_k8s_opts o;
};

static int export_option(struct cli_args *a, int c, void *ctx)
{
	struct export_cli *e = ctx;

	if (c == 'o')
		e->dir = optarg;
	else if (c == OPT_NAMESPACE)
		e->o.ns = optarg;
	else if (c == OPT_INIT_IMAGE && (!*optarg || strpbrk(optarg, " \t\n\r")))
		return cli_value_error(a->verb, "--init-image", "an image name has no blanks");
	else if (c == OPT_INIT_IMAGE)
		e->o.init_image = optarg;
	else
		return cli_option_error(a, c);
	return CLI_GO_ON;
}

static const struct cli_options options = { "o:h", longs, export_option };

/* One file per manifest, named so that `kubectl apply -f DIR` takes them in order:
 * "000-namespace-router.yaml", "001-networkattachmentdefinition-lan.yaml", ... */
static int write_dir(const char *dir, const struct export_docs *d)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	for (size_t i = 0; i < d->n; i++) {
		char path[4096], kind[64];
		FILE *f;

		for (size_t j = 0; j < sizeof(kind) && (!j || kind[j - 1]); j++)
			kind[j] = (char)tolower((unsigned char)d->v[i].kind[j]);
		kind[sizeof(kind) - 1] = '\0';
		if (snprintf(path, sizeof(path), "%s/%03zu-%s-%s.yaml", dir, i, kind, d->v[i].name) >= (int)sizeof(path))
			return errno = ENAMETOOLONG, -1;
		f = fopen(path, "we");
		if (!f)
			return -1;
		fprintf(f, "---\n%s", d->v[i].text);	/* the files concatenated are one stream too */
		if (fclose(f) != 0)
			return -1;
	}
	return 0;
}

static int write_stdout(const struct export_docs *d)
{
	for (size_t i = 0; i < d->n; i++)
		printf("---\n%s", d->v[i].text);
	return fflush(stdout) == 0 ? 0 : -1;
}

static int export_main(const struct cli_verb *v, int argc, char **argv)
{
	_cleanup_(project_freep) struct project *p = NULL;
	struct cli_operands ops = CLI_OPERANDS(2, "kubernetes", "FILE");
	struct export_cli e = { .o = { .warn = stderr } };
	struct export_docs d = { 0 };
	struct ce_error err = { 0 };
	char line[4 * CE_ERROR_MAX];
	int rc = cli_read(v, argc, argv, &options, &e, &ops);

	if (rc != CLI_GO_ON)
		return rc;
	if (strcmp(ops.v[0], "kubernetes"))
		return cli_usage_error(v, "'%s': the one target is kubernetes", escape_text(ops.v[0], line, sizeof(line)));
	if (cli_load(ops.v[1], &p) < 0)
		return CLI_BAD_INPUT;
	rc = export_kubernetes(p, &e.o, &d, &err);
	if (rc > 0) {
		fprintf(stderr, "%s\n", escape_text(err.msg, line, sizeof(line)));
		return CLI_BAD_INPUT;
	}
	if (rc < 0)
		return cli_fail(&err);
	rc = e.dir && strcmp(e.dir, "-") ? write_dir(e.dir, &d) : write_stdout(&d);
	if (rc < 0)
		ce_error_set(&err, errno, "export: %s", e.dir && strcmp(e.dir, "-") ? e.dir : "stdout");
	export_docs_free(&d);
	return rc < 0 ? cli_fail(&err) : CLI_OK;
}

const struct cli_verb cli_export = {
	"export", export_main, "cengine export kubernetes FILE [-o DIR|-] [--namespace NS] [--init-image IMAGE]",
	"Write FILE as Kubernetes manifests, making nothing here: a Namespace, one Multus\n"
	"NetworkAttachmentDefinition per network, one meshnet Topology per container with links,\n"
	"one ConfigMap per container with files, one Pod per container copy. What a cluster cannot\n"
	"run is refused (FILE:LINE: setting: why, exit 2); what it runs with a loss is said on\n"
	"stderr (FILE:LINE: setting: warning: why).\n"
	"  -o, --output DIR|-       one file per manifest in DIR (made if missing), or stdout (default)\n"
	"      --namespace NS       the Namespace (default: the project's name)\n"
	"      --init-image IMAGE   the image of the network init container (tc, ip), default\n"
	"                           " EXPORT_INIT_IMAGE_DEFAULT "\n"
	"Pod interfaces: cengine's ethN is netN (the pod's eth0 is the cluster's network).\n"
	"Exit: 0 written; 1 a write failed; 2 bad arguments or a file a cluster cannot run.\n",
};
