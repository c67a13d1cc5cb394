/* SPDX-License-Identifier: MIT */
/* layout.c: an OCI image layout read: index.json, the image by its ref.name, nested indexes, this host's platform, its manifest. */
#include "image/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "util/cleanup.h"

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define REF_NAME "org.opencontainers.image.ref.name"
#define IMAGE_NAME "io.containerd.image.name"	/* Docker's saves name the image here */

const char *img_host_arch(void)
{
	static const char *const map[][2] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "i686", "386" }, { "i386", "386" },
		{ "armv7l", "arm" }, { "armv6l", "arm" }, { "ppc64le", "ppc64le" }, { "s390x", "s390x" },
		{ "riscv64", "riscv64" }, { "mips64", "mips64le" }, { "loongarch64", "loong64" },
	};
	static struct utsname u;

	if (!u.machine[0])
		uname(&u);
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(u.machine, map[i][0]))
			return map[i][1];
	return u.machine;
}

static bool is_index(const char *media)
{
	return !strcmp(media, MT_OCI_INDEX) || !strcmp(media, MT_DOCKER_LIST);
}

static bool is_manifest(const char *media)
{
	return !strcmp(media, MT_OCI_MANIFEST) || !strcmp(media, MT_DOCKER_MANIFEST);
}

/* Does the entry's platform say this host (an entry without one says nothing: -1)? */
static int platform_fits(const json_t *e, char *seen, size_t len)
{
	const json_t *p = json_object_get(e, "platform");
	const char *os = img_json_str(p, "os"), *arch = img_json_str(p, "architecture");
	size_t used = strlen(seen);

	if (!p)
		return -1;
	snprintf(seen + used, len - used, "%s%.20s/%.20s", used ? ", " : "", os ? os : "?", arch ? arch : "?");
	return os && arch && !strcmp(os, "linux") && !strcmp(arch, img_host_arch());
}

static bool has_ref(const json_t *e, const char *ref)
{
	const json_t *a = json_object_get(e, "annotations");
	const char *r = img_json_str(a, REF_NAME), *name = img_json_str(a, IMAGE_NAME);

	return (r && !strcmp(r, ref)) || (name && !strcmp(name, ref));
}

/* The names the index has, for a message. */
static void ref_names(const json_t *list, char *out, size_t len)
{
	size_t i, used = 0;
	const json_t *e;

	out[0] = '\0';
	json_array_foreach(list, i, e) {
		const char *r = img_json_str(json_object_get(e, "annotations"), REF_NAME);

		if (r && used < len)
			used += (size_t)snprintf(out + used, len - used, "%s%.60s", used ? ", " : "", r);
	}
	if (!used)
		snprintf(out, len, "none has %s", REF_NAME);
}

/* The one entry of list that ref names (depth 0) and fits this host. */
static int pick(const json_t *list, const char *what, const char *ref, const json_t **out, struct ce_error *err)
{
	char seen[256] = "", names[256];
	size_t i, n = 0, fits = 0;
	const json_t *e, *found = NULL, *fit = NULL;

	json_array_foreach(list, i, e) {
		if (*ref && !has_ref(e, ref))
			continue;
		n++, found = e;
		if (platform_fits(e, seen, sizeof(seen)) == 1)
			fits++, fit = fit ? fit : e;
	}
	ref_names(list, names, sizeof(names));
	if (!n && *ref)
		return ce_error_set(err, 0, "%s: no image \"%s\" in its index (it has: %s)", what, ref, names);
	if (!n)
		return ce_error_set(err, 0, "%s: its index lists no image", what);
	if (fit) {
		*out = fit;
		return 0;
	}
	if (*seen)
		return ce_error_set(err, 0, "%s: no image for linux/%s (it has %s)", what, img_host_arch(), seen);
	if (n > 1)
		return ce_error_set(err, 0, "%s: it has %zu images, name one as oci:DIR:REF (%s)", what, n, names);
	*out = found;
	return 0;
}

/* From the list of index (a top-level one: select by ref) down to a manifest's descriptor. */
static int descend(const struct img_source *src, json_t *index, const char *ref, int depth, struct img_desc *d,
		   struct ce_error *err)
{
	const json_t *list = json_object_get(index, "manifests"), *e = NULL;
	_cleanup_json_ json_t *next = NULL;

	if (!json_is_array(list))
		return ce_error_set(err, 0, "%s: an index without a manifests list", src->what);
	if (pick(list, src->what, ref, &e, err) < 0 || img_desc_parse(e, src->what, NULL, d, err) < 0)
		return -1;
	if (is_manifest(d->media))
		return 0;
	if (!is_index(d->media))
		return ce_error_set(err, 0, "%s: %s: unknown media type \"%s\"", src->what, d->digest, d->media);
	if (depth >= IMG_NEST_MAX)
		return ce_error_set(err, 0, "%s: indexes nested more than %d deep", src->what, IMG_NEST_MAX);
	if (img_blob_json(src->dirfd, src->what, d, &next, err) < 0)
		return -1;
	return descend(src, next, "", depth + 1, d, err);
}

static int check_layout(const struct img_source *src, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_json_ json_t *j = NULL;
	const char *v;
	size_t len;

	if (img_read_file(src->dirfd, "oci-layout", 4096, &buf, &len, err) < 0)
		return ce_error_wrap(err, "%s: not an OCI image layout", src->what);
	if (img_json_parse(buf, len, src->what, &j, err) < 0)
		return -1;
	v = img_json_str(j, "imageLayoutVersion");
	if (!v || strncmp(v, "1.", 2))
		return ce_error_set(err, 0, "%s: oci-layout: imageLayoutVersion \"%.20s\" is not 1.x", src->what,
				    v ? v : "");
	return 0;
}

int img_layout_select(const struct img_source *src, struct img_manifest *m, struct ce_error *err)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_json_ json_t *index = NULL, *man = NULL;
	struct img_desc d;
	size_t len;

	if (check_layout(src, err) < 0)
		return -1;
	if (img_read_file(src->dirfd, "index.json", IMG_JSON_MAX, &buf, &len, err) < 0)
		return ce_error_wrap(err, "%s", src->what);
	if (img_json_parse(buf, len, src->what, &index, err) < 0 || descend(src, index, src->ref, 0, &d, err) < 0)
		return -1;
	if (img_blob_json(src->dirfd, src->what, &d, &man, err) < 0)
		return -1;
	return img_manifest_parse(man, src->what, &d, m, err);
}

static bool known_layer(const char *media)
{
	static const char *const known[] = {
		"application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
		"application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.docker.image.rootfs.diff.tar.gzip",
		"application/vnd.oci.image.layer.nondistributable.v1.tar",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
		"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcmp(media, known[i]))
			return true;
	return false;
}

static bool known_config(const char *media)
{
	return !strcmp(media, "application/vnd.oci.image.config.v1+json") ||
	       !strcmp(media, "application/vnd.docker.container.image.v1+json");
}

int img_manifest_parse(const json_t *j, const char *what, const struct img_desc *self, struct img_manifest *m,
		       struct ce_error *err)
{
	const json_t *layers = json_object_get(j, "layers"), *e;
	size_t i;

	memset(m, 0, sizeof(*m));
	m->self = *self;
	if (img_desc_parse(json_object_get(j, "config"), what, NULL, &m->config, err) < 0)
		return -1;
	if (!known_config(m->config.media))
		return ce_error_set(err, 0, "%s: config %s: unknown media type \"%s\"", what, m->config.digest,
				    m->config.media);
	if (!json_is_array(layers) || !json_array_size(layers))
		return ce_error_set(err, 0, "%s: manifest %s has no layers", what, self->digest);
	if (!(m->layers = calloc(json_array_size(layers), sizeof(*m->layers))))
		return ce_error_set(err, ENOMEM, "%s", what);
	json_array_foreach(layers, i, e) {
		if (img_desc_parse(e, what, NULL, &m->layers[i], err) < 0)
			return -1;
		m->n_layers = i + 1;
		if (!known_layer(m->layers[i].media))
			return ce_error_set(err, 0, "%s: layer %s: unknown media type \"%s\"", what, m->layers[i].digest,
					    m->layers[i].media);
	}
	return 0;
}

void img_manifest_free(struct img_manifest *m)
{
	free(m->layers);
	m->layers = NULL;
	m->n_layers = 0;
}
