/* SPDX-License-Identifier: MIT */
/* images.c: `up` and `run` get their containers' images from the store (imported where missing), and the image's config fills what the file left out. */
#include "runtime/verbs/verbs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "model/strv.h"
#include "runtime/present/progress.h"
#include "util/cleanup.h"

/* command: the image's Entrypoint followed by its Cmd, when the file gives none. */
static int default_command(struct container *c, const struct image_config *cfg)
{
	char **argv = NULL;

	if (c->command)
		return 0;
	for (size_t i = 0; cfg->entrypoint && cfg->entrypoint[i]; i++)
		if (strv_push(&argv, cfg->entrypoint[i]) < 0)
			goto oom;
	for (size_t i = 0; cfg->cmd && cfg->cmd[i]; i++)
		if (strv_push(&argv, cfg->cmd[i]) < 0)
			goto oom;
	c->command = argv;	/* NULL when the image has neither: pid 1 waits */
	return 0;
oom:
	strv_free(argv);
	return -1;
}

static bool has_key(char *const *env, const char *kv)
{
	size_t len = strcspn(kv, "=");

	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], kv, len) && env[i][len] == '=')
			return true;
	return false;
}

/* env: the image's Env, then the file's (a variable of both has the file's value). */
static int merge_env(struct container *c, const struct image_config *cfg)
{
	char **env = NULL;

	for (size_t i = 0; cfg->env && cfg->env[i]; i++)
		if (!has_key(c->env, cfg->env[i]) && !has_key(env, cfg->env[i]) && strv_push(&env, cfg->env[i]) < 0)
			goto oom;
	for (size_t i = 0; c->env && c->env[i]; i++)
		if (strv_push(&env, c->env[i]) < 0)
			goto oom;
	strv_free(c->env);
	c->env = env;
	return 0;
oom:
	strv_free(env);
	return -1;
}

/* The image's defaults where the file says nothing. WorkingDir, User and StopSignal stay in
 * struct image_config until the model has workdir, user and stop_signal. A ready is not invented. */
static int apply_config(struct container *c, const struct image *img)
{
	return default_command(c, &img->config) < 0 || merge_env(c, &img->config) < 0 ? -1 : 0;
}

/* c's image from the store (img: the last one got, reused when c names the same image: a project of
 * many containers of one image reads it once). */
static int prepare_one(const char *store, struct container *c, FILE *progress, struct image *img, struct ce_error *err)
{
	const struct image_caps caps = { container_unpack_max_size(c), container_unpack_max_entries(c) };

	if (!img->tree[0] || strcmp(img->asked, c->image)) {
		image_free(img);
		if (image_get(store, c->image, &caps, progress, img, err) < 0)
			return ce_error_wrap(err, "container %s", c->name);
		snprintf(img->asked, sizeof(img->asked), "%s", c->image);
	}
	free(c->rootfs);
	c->rootfs = strdup(img->tree);
	if (!c->rootfs || apply_config(c, img) < 0)
		return ce_error_set(err, ENOMEM, "container %s: image", c->name);
	return 0;
}

int runtime_images_env(struct project *p, const char *name)
{
	struct ce_error err = { 0 };
	const char *store = image_store_dir(&err);
	struct image_config cfg;

	for (size_t i = 0; store && i < p->n_containers; i++) {
		struct container *c = &p->containers[i];
		int rc;

		if (c->rootfs_kind != ROOTFS_IMAGE || strcmp(c->name, name))
			continue;
		if (image_config_lookup(store, c->image, &cfg, &err) < 0)
			return 0;	/* its image went from the store (rmi): the file's env alone */
		rc = merge_env(c, &cfg);
		image_config_free(&cfg);
		return rc;
	}
	return 0;
}

int runtime_images_prepare(struct project *p, struct ce_error *err)
{
	_cleanup_close_ int lock = -1;
	const char *store = NULL;
	FILE *progress = progress_enabled() ? stdout : NULL;
	struct image img = { 0 };
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < p->n_containers; i++) {
		struct container *c = &p->containers[i];

		if (c->rootfs_kind != ROOTFS_IMAGE)
			continue;
		if (!store && (!(store = image_store_dir(err)) || (lock = image_store_lock(store, false, err)) < 0))
			return -1;
		rc = prepare_one(store, c, progress, &img, err);
	}
	image_free(&img);
	return rc;
}
