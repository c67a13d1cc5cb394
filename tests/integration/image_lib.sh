# SPDX-License-Identifier: MIT
# image_lib.sh: image fixtures built by the tests with Debian's umoci and skopeo (OCI layouts with whiteouts and
# an opaque dir, zstd, a nested multi-arch index, archives), a private image store, and layout surgery.
# shellcheck shell=bash

# image_tools: umoci, skopeo and python3 are needed; skip (or fail in CI) without them.
image_tools() {
	local t
	for t in umoci skopeo python3; do
		command -v "$t" >/dev/null || unavailable "$t is not installed (apt-get install umoci skopeo)"
	done
}

# image_setup NAME: root, the tools and the Alpine fixture, this test's project (setup_project NAME), its own
# store (CENGINE_STORE_DIR, in WORK: removed at exit) and FIX, a dir for its layouts; FIX/alpine is alpine_layout's.
image_setup() {
	require_root
	image_tools
	alpine_tarball
	setup_project "$1"
	export CENGINE_STORE_DIR=$WORK/store
	FIX=$WORK/fix
	mkdir -p "$FIX"
	alpine_layout "$FIX/alpine" >/dev/null || bail "cannot build the Alpine layout with umoci"
}

# layout_edit LAYOUT REF PYTHON: rewrite the manifest that REF names in LAYOUT with PYTHON (statements on
# `m`, the manifest as a dict; `blob(d)` reads a blob as bytes), store it under its new digest and point REF
# at it, as a tool writing a layout would.
layout_edit() {
	python3 - "$1" "$2" "$3" <<'PY'
import hashlib, json, os, sys
lay, ref, code = sys.argv[1:4]
def blob(d): return open(os.path.join(lay, 'blobs/sha256', d['digest'][7:]), 'rb').read()
def put(data):
    h = hashlib.sha256(data).hexdigest()
    open(os.path.join(lay, 'blobs/sha256', h), 'wb').write(data)
    return 'sha256:' + h, len(data)
index = json.load(open(os.path.join(lay, 'index.json')))
e = [x for x in index['manifests'] if x.get('annotations', {}).get('org.opencontainers.image.ref.name') == ref][0]
m = json.loads(blob(e))
exec(code)
e['digest'], e['size'] = put(json.dumps(m).encode())
json.dump(index, open(os.path.join(lay, 'index.json'), 'w'))
PY
}

# layer_add LAYOUT PYTHON: one more layer (tar+gzip) on LAYOUT's v1, its tar made by PYTHON with `t` (a
# tarfile) and helpers f(name, data), d(name), sl(name, target), hl(name, target), in the order called.
layer_add() {
	layout_edit "$1" v1 "import gzip, io, tarfile
buf = io.BytesIO()
t = tarfile.open(fileobj=buf, mode='w', format=tarfile.GNU_FORMAT)
def add(ti, data=b''):
    ti.size = len(data); t.addfile(ti, io.BytesIO(data))
def f(n, data=b'x'): add(tarfile.TarInfo(n), data)
def d(n):
    ti = tarfile.TarInfo(n); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; add(ti)
def sl(n, target):
    ti = tarfile.TarInfo(n); ti.type = tarfile.SYMTYPE; ti.linkname = target; add(ti)
def hl(n, target):
    ti = tarfile.TarInfo(n); ti.type = tarfile.LNKTYPE; ti.linkname = target; add(ti)
$2
t.close()
dgst, size = put(gzip.compress(buf.getvalue()))
m['layers'].append({'mediaType': 'application/vnd.oci.image.layer.v1.tar+gzip', 'digest': dgst, 'size': size})"
}

# layout_config LAYOUT REF PYTHON: the same for REF's config (`c`, a dict).
layout_config() {
	layout_edit "$1" "$2" "import json as J
c = J.loads(blob(m['config']))
$3
m['config']['digest'], m['config']['size'] = put(J.dumps(c).encode())"
}

# alpine_layout DIR: an OCI layout at DIR, tag v1, from the Alpine minirootfs in three layers:
#  1 the minirootfs; 2 (umoci repack) /etc/motd deleted (a whiteout), /etc/layer2 added;
#  3 (a tar of our own) /etc/apk made opaque (.wh..wh..opq) with one new file, etc/apk/only.
# Its config runs `sleep 3600` (Entrypoint + Cmd) with IMG_A=image and IMG_B=image.
alpine_layout() {
	local dir=$1 tmp=$WORK/alpine-build
	mkdir -p "$tmp/root" "$tmp/op/etc/apk"
	tar -C "$tmp/root" -xzf "$TARBALL"
	tar -C "$tmp/root" -cf "$tmp/base.tar" .
	umoci init --layout "$dir" && umoci new --image "$dir:v1" &&
		umoci raw add-layer --image "$dir:v1" "$tmp/base.tar" || return 1
	umoci config --image "$dir:v1" --config.entrypoint /bin/sleep --config.cmd 3600 \
		--config.env IMG_A=image --config.env IMG_B=image || return 1
	umoci unpack --image "$dir:v1" "$tmp/bundle" >/dev/null || return 1
	rm "$tmp/bundle/rootfs/etc/motd"
	echo two >"$tmp/bundle/rootfs/etc/layer2"
	umoci repack --image "$dir:v1" "$tmp/bundle" || return 1
	: >"$tmp/op/etc/apk/.wh..wh..opq"
	echo three >"$tmp/op/etc/apk/only"
	tar -C "$tmp/op" -cf "$tmp/op.tar" etc
	umoci raw add-layer --image "$dir:v1" "$tmp/op.tar" || return 1
	umoci gc --layout "$dir"
	rm -rf "$tmp"
}

# debian_layout DIR: an OCI layout of the Debian minbase tree (one layer, tag v1, no command: pid 1 waits, as
# the tutorial's containers do), made once in TEST_CACHE (aside, then renamed into place) and copied to DIR.
debian_layout() {
	local cached=$TEST_CACHE/debian12-oci tree tmp
	if [ ! -f "$cached/index.json" ]; then
		tree=$(debian_rootfs) || return 1
		tmp=$(mktemp -d "$TEST_CACHE/.debian12-oci.XXXXXX")
		tar -C "$tree" -cf "$tmp/layer.tar" . &&
			umoci init --layout "$tmp/lay" && umoci new --image "$tmp/lay:v1" &&
			umoci raw add-layer --image "$tmp/lay:v1" "$tmp/layer.tar" || { rm -rf "$tmp"; return 1; }
		mv -T "$tmp/lay" "$cached" 2>/dev/null
		rm -rf "$tmp"
	fi
	cp -a "$cached" "$1"
}

# multiarch_layout SRC DIR: an OCI layout at DIR whose ref v1 is an index (nested in index.json) of two
# manifests: SRC's v1 for linux/amd64, and a copy of it whose config says linux/arm64. ARM_ONLY=1: v1 is
# the arm64 manifest alone (with its platform).
multiarch_layout() {
	cp -a "$1" "$2"
	python3 - "$2" "${ARM_ONLY:-}" <<'PY'
import hashlib, json, os, sys
lay, arm_only = sys.argv[1], sys.argv[2]
def path(d): return os.path.join(lay, 'blobs/sha256', d[7:])
def put(obj):
    data = json.dumps(obj).encode()
    h = hashlib.sha256(data).hexdigest()
    open(path('sha256:' + h), 'wb').write(data)
    return {'digest': 'sha256:' + h, 'size': len(data)}
index = json.load(open(os.path.join(lay, 'index.json')))
amd = index['manifests'][0]
man = json.load(open(path(amd['digest'])))
cfg = json.load(open(path(man['config']['digest'])))
cfg['architecture'] = 'arm64'
man['config'].update(put(cfg))
arm = dict(put(man), mediaType='application/vnd.oci.image.manifest.v1+json',
           platform={'os': 'linux', 'architecture': 'arm64'})
amd = dict(amd, platform={'os': 'linux', 'architecture': 'amd64'})
amd.pop('annotations', None)
ref = {'org.opencontainers.image.ref.name': 'v1'}
if arm_only:
    index['manifests'] = [dict(arm, annotations=ref)]
else:
    nested = put({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.index.v1+json',
                  'manifests': [arm, amd]})
    index['manifests'] = [dict(nested, mediaType='application/vnd.oci.image.index.v1+json', annotations=ref)]
json.dump(index, open(os.path.join(lay, 'index.json'), 'w'))
PY
}

# store_clean: the store holds no temporary (of a pull or unpack) and, with a name, no tree that no name uses.
store_temps() { find "$CENGINE_STORE_DIR" -name '.tmp-*' 2>/dev/null | wc -l; }
store_trees() { find "$CENGINE_STORE_DIR/trees" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
store_names() { find "$CENGINE_STORE_DIR/names" -mindepth 1 -maxdepth 1 -name '*.json' 2>/dev/null | wc -l; }
