/* SPDX-License-Identifier: MIT */
/* volumes.c: a Pod's volumes and its container's mounts: binds as hostPath, tmpfs and /dev/shm as memory emptyDirs, files from the pod's ConfigMap. */
#include "export/internal.h"

static bool has_volumes(const struct fixture *fx)
{
	return fx->n_binds || fx->n_tmpfs || fx->n_files || fx->shm_size;
}

static void empty_dir(struct yaml *y, const char *name, uint64_t size)
{
	char v[32];

	yaml_item(y);
	yaml_str(y, 4, "name", name);
	yaml_key(y, 4, "emptyDir");
	yaml_str(y, 6, "medium", "Memory");
	if (size) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)size);
		yaml_str(y, 6, "sizeLimit", v);
	}
}

static void files_volume(struct k8s *k, size_t c, struct yaml *y)
{
	const struct fixture *fx = &k->p->containers[c].fx;
	char name[EXPORT_NAME_MAX + 8], key[32];

	snprintf(name, sizeof(name), "%s-files", k->pod[c]);
	yaml_item(y);
	yaml_str(y, 4, "name", "files");
	yaml_key(y, 4, "configMap");
	yaml_str(y, 6, "name", name);
	yaml_key(y, 6, "items");
	for (size_t i = 0; i < fx->n_files; i++) {
		snprintf(key, sizeof(key), "file%zu", i);
		yaml_item(y);
		yaml_str(y, 8, "key", key);
		yaml_str(y, 8, "path", key);
		yaml_int(y, 8, "mode", fx->files[i].mode);
	}
}

void k8s_volumes(struct k8s *k, size_t c, struct yaml *y)
{
	const struct fixture *fx = &k->p->containers[c].fx;
	char name[32];

	if (!has_volumes(fx))
		return;
	yaml_key(y, 2, "volumes");
	for (size_t i = 0; i < fx->n_binds; i++) {
		snprintf(name, sizeof(name), "bind%zu", i);
		yaml_item(y);
		yaml_str(y, 4, "name", name);
		yaml_key(y, 4, "hostPath");
		yaml_str(y, 6, "path", fx->binds[i].src);
	}
	for (size_t i = 0; i < fx->n_tmpfs; i++) {
		snprintf(name, sizeof(name), "tmpfs%zu", i);
		empty_dir(y, name, fx->tmpfs[i].size);
	}
	if (fx->shm_size)
		empty_dir(y, "shm", fx->shm_size);
	if (fx->n_files)
		files_volume(k, c, y);
}

static void mount(struct yaml *y, const char *name, const char *path, const char *sub, bool ro)
{
	yaml_item(y);
	yaml_str(y, 6, "name", name);
	yaml_str(y, 6, "mountPath", path);
	if (sub)
		yaml_str(y, 6, "subPath", sub);
	if (ro)
		yaml_bool(y, 6, "readOnly", true);
}

void k8s_volume_mounts(struct k8s *k, size_t c, struct yaml *y)
{
	const struct fixture *fx = &k->p->containers[c].fx;
	char name[32];

	if (!has_volumes(fx))
		return;
	yaml_key(y, 4, "volumeMounts");
	for (size_t i = 0; i < fx->n_binds; i++) {
		snprintf(name, sizeof(name), "bind%zu", i);
		mount(y, name, fx->binds[i].dst, NULL, fx->binds[i].ro);
	}
	for (size_t i = 0; i < fx->n_tmpfs; i++) {
		snprintf(name, sizeof(name), "tmpfs%zu", i);
		mount(y, name, fx->tmpfs[i].dst, NULL, false);
	}
	if (fx->shm_size)
		mount(y, "shm", "/dev/shm", NULL, false);
	for (size_t i = 0; i < fx->n_files; i++) {
		snprintf(name, sizeof(name), "file%zu", i);
		mount(y, "files", fx->files[i].path, name, true);
	}
}
