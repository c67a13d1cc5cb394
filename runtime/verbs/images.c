/* SPDX-License-Identifier: MIT */
/* images.c: `up` and `run` get their containers' images from the store (imported where missing), and the image's config fills what the file left out. */
#include "runtime/verbs/verbs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "model/signal.h"
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

/* A User of the image's config: "UID[:GID]" or "NAME[:GROUP]" (as the user key), else refused. */
static bool user_ok(const char *u)
{
	size_t n = strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-$");

	if (!n || n > 64 || u[0] == '-')
		return false;
	if (!u[n])
		return true;
	return u[n] == ':' && user_ok(u + n + 1) && !strchr(u + n + 1, ':');
}

/* user and workdir: the image's User and WorkingDir where the file has none (the WorkingDir is
 * resolved inside the container as the key's is: no link, no ..). */
static int default_user_workdir(struct container *c, const struct image_config *cfg, struct ce_error *err)
{
	if (!c->fx.workdir && cfg->workdir && strcmp(cfg->workdir, "/")) {
		if (cfg->workdir[0] != '/')
			return ce_error_set(err, 0, "container %s: image config: WorkingDir \"%.100s\" is not absolute",
					    c->name, cfg->workdir);
		if (!(c->fx.workdir = strdup(cfg->workdir)))
			return ce_error_set(err, ENOMEM, "container %s", c->name);
	}
	if (!c->fx.user && cfg->user) {
		if (!user_ok(cfg->user))
			return ce_error_set(err, 0, "container %s: image config: User \"%.100s\" is not UID[:GID] or "
					    "NAME[:GROUP]", c->name, cfg->user);
		if (!(c->fx.user = strdup(cfg->user)))
			return ce_error_set(err, ENOMEM, "container %s", c->name);
	}
	return 0;
}

/* stop_signal: the image's StopSignal (a name or a number, as the key takes it), when the file gives none. */
static int default_stop_signal(struct container *c, const struct image_config *cfg, struct ce_error *err)
{
	if (c->svc.stop_signal || !cfg->stop_signal || !cfg->stop_signal[0])
		return 0;
	c->svc.stop_signal = signal_number(cfg->stop_signal);
	if (!c->svc.stop_signal)
		return ce_error_set(err, 0, "container %s: image config: StopSignal \"%.60s\" is not a signal name (SIGINT) "
				    "or number", c->name, cfg->stop_signal);
	return 0;
}

/* The image's defaults where the file says nothing: command (with_command), env, user, workdir, stop
 * signal. A ready is not invented. */
static int apply_config(struct container *c, const struct image_config *cfg, bool with_command,
			struct ce_error *err)
{
	if ((with_command && default_command(c, cfg) < 0) || merge_env(c, cfg) < 0)
		return ce_error_set(err, ENOMEM, "container %s: image", c->name);
	if (default_stop_signal(c, cfg, err) < 0)
		return -1;
	return default_user_workdir(c, cfg, err);
}

/* c's image from the store (img: the last one got, reused when c names the same image: a project of
 * many containers of one image reads it once). */
static int prepare_one(const char *store, const struct project *p, struct container *c, FILE *progress,
		       struct image *img, struct ce_error *err)
{
	const struct image_caps caps = { container_unpack_max_size(c), container_unpack_max_entries(c), true,
					 p->insecure_registries };

	if (!img->tree[0] || strcmp(img->asked, c->image)) {
		image_free(img);
		if (image_get(store, c->image, &caps, progress, img, err) < 0)
			return ce_error_wrap(err, "container %s", c->name);
		snprintf(img->asked, sizeof(img->asked), "%s", c->image);
	}
	free(c->rootfs);
	if (!(c->rootfs = strdup(img->tree)))
		return ce_error_set(err, ENOMEM, "container %s: image", c->name);
	return apply_config(c, &img->config, true, err);
}

int runtime_images_config(struct project *p, const char *name, struct ce_error *err)
{
	struct ce_error gone = { 0 };
	const char *store = image_store_dir(err);
	struct image_config cfg;

	for (size_t i = 0; store && i < p->n_containers; i++) {
		struct container *c = &p->containers[i];
		int rc;

		if (c->rootfs_kind != ROOTFS_IMAGE || strcmp(c->name, name))
			continue;
		if (image_config_lookup(store, c->image, &cfg, &gone) < 0)
			return 0;	/* its image went from the store (rmi): the file's settings alone */
		rc = apply_config(c, &cfg, false, err);
		image_config_free(&cfg);
		return rc;
	}
	return store ? 0 : -1;
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
		rc = prepare_one(store, p, c, progress, &img, err);
	}
	image_free(&img);
	return rc;
}
