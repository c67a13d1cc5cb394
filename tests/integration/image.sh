#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# image.sh: images as root trees: an OCI layout (whiteout, opaque dir), zstd, a nested multi-arch index, oci-archive and
# docker-archive imported into the store, the same tree each time; up and run -it from an image, its config's defaults.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
. "$TOP_SRCDIR/tests/integration/image_lib.sh"
image_setup img

skopeo copy -q --dest-compress-format zstd oci:"$FIX/alpine:v1" oci:"$FIX/alpine-zstd:v1" || bail "skopeo: zstd copy"
skopeo copy -q oci:"$FIX/alpine:v1" oci-archive:"$FIX/alpine-oci.tar:v1" || bail "skopeo: oci-archive"
skopeo copy -q oci:"$FIX/alpine:v1" docker-archive:"$FIX/alpine-docker.tar:alpine:3.22" || bail "skopeo: docker-archive"
multiarch_layout "$FIX/alpine" "$FIX/multi" || bail "cannot build the multi-arch layout"
cp -a "$FIX/alpine" "$FIX/bare"	# the same layers, a config without Entrypoint, Cmd, User and WorkingDir
layout_config "$FIX/bare" v1 "for k in ('Entrypoint', 'Cmd', 'User', 'WorkingDir'): del c['config'][k]" ||
	bail "cannot edit the bare config"
cp -a "$FIX/bare" "$FIX/stop"	# the bare config with a StopSignal
layout_config "$FIX/stop" v1 "c['config']['StopSignal'] = 'SIGINT'" || bail "cannot edit the stop config"
check "the zstd copy's layers are zstd" grep -q 'tar+zstd' <(cat "$FIX"/alpine-zstd/blobs/sha256/*)
check "the docker-archive is a legacy docker save (manifest.json, no OCI layout)" \
	sh -c "tar -tf '$FIX/alpine-docker.tar' | grep -qx manifest.json && ! tar -tf '$FIX/alpine-docker.tar' | grep -qx oci-layout"

# --- pull: each transport into the store
pull() { "$CENGINE" pull "$1" 2>&1; }
# tree_of NAME: the tree of the store's image NAME (images --json); tree_of_pull NAME: pull it first
tree_of() { "$CENGINE" images --json | python3 -c 'import json, sys; print([x["tree"] for x in json.load(sys.stdin) if x["name"] == sys.argv[1]][0])' "$1"; }
tree_of_pull() { "$CENGINE" pull "$1" >/dev/null && tree_of "$1"; }
out=$(pull "oci:$FIX/alpine:v1")
check "pull oci:DIR:REF prints the name, the manifest digest and the layers" \
	grep -Eq "^oci:$FIX/alpine:v1 sha256:[0-9a-f]{64} \(3 layers, [0-9.]+ MiB\)$" <<<"$out"
DIGEST=$(awk '{print $2}' <<<"$out")
TREE=$(tree_of "oci:$FIX/alpine:v1")
check "the tree is STORE/trees/<sha256 of the layer digests>" test "$TREE" = "$CENGINE_STORE_DIR/trees/$(python3 -c '
import hashlib, json, sys
lay = sys.argv[1]; blob = lambda d: open(lay + "/blobs/sha256/" + d[7:]).read()
m = json.loads(blob(json.load(open(lay + "/index.json"))["manifests"][0]["digest"]))
print(hashlib.sha256("".join(l["digest"] + "\n" for l in m["layers"]).encode()).hexdigest())' "$FIX/alpine")" -a -x "$TREE/bin/busybox"
check "layer 2's whiteout deleted /etc/motd" test ! -e "$TREE/etc/motd"
check "layer 2 added /etc/layer2" grep -qx two "$TREE/etc/layer2"
check_eq "layer 3's opaque /etc/apk hides the lower layers' entries, keeps its own" "only" "$(ls -A "$TREE/etc/apk")"
check_eq "no whiteout marker is in the tree" "" "$(find "$TREE" -name '.wh.*')"
umoci unpack --image "$FIX/alpine:v1" "$WORK/umoci-bundle" >/dev/null 2>&1
check "the tree is what umoci unpack makes of the layout" diff -r --no-dereference "$WORK/umoci-bundle/rootfs" "$TREE"
# whiteouts never apply within their own layer, whatever the order: an opaque marker after the layer's own
# files in that dir, a whiteout of a file the layer wrote before it; a file replaces a lower directory
cp -a "$FIX/alpine" "$FIX/order"
layer_add "$FIX/order" "d('etc/apk'); f('etc/apk/mine', b'4'); d('etc/apk/keys'); f('etc/apk/keys/k', b'4')
f('etc/apk/.wh..wh..opq'); f('etc/own', b'4'); f('etc/.wh.own'); f('etc/.wh.layer2'); f('home', b'file now')"
ORDER=$(tree_of_pull "oci:$FIX/order:v1")
check_eq "an opaque marker after the layer's own files keeps them, hides the lower ones" "keys/k mine" \
	"$(cd "$ORDER/etc/apk" && find . -type f | sed 's|^\./||' | sort | paste -sd' ')"
check "a whiteout of the layer's own file keeps it" grep -qx 4 "$ORDER/etc/own"
check "a whiteout of a lower layer's file hides it" test ! -e "$ORDER/etc/layer2"
check "a file replaces a lower layer's directory" grep -qx "file now" "$ORDER/home"
check_eq "a second pull of the same layout names the same manifest" "$DIGEST" "$(pull "oci:$FIX/alpine:v1" | awk '{print $2}')"
check_eq "oci-archive:FILE:REF is the same image" "$DIGEST" "$(pull "oci-archive:$FIX/alpine-oci.tar:v1" | awk '{print $2}')"
check_eq "the nested multi-arch index gives this host's (amd64) manifest" "$DIGEST" "$(pull "oci:$FIX/multi:v1" | awk '{print $2}')"
pull "oci:$FIX/alpine-zstd:v1" >/dev/null
ZTREE=$(tree_of "oci:$FIX/alpine-zstd:v1")
check "the zstd layers unpack to a tree of their own, the same files" sh -c "test '$ZTREE' != '$TREE' && diff -r --no-dereference '$TREE' '$ZTREE'"
docker_out=$(pull "docker-archive:$FIX/alpine-docker.tar:alpine:3.22")
DTREE=$(tree_of "docker-archive:$FIX/alpine-docker.tar:alpine:3.22")
check "docker-archive:FILE:NAME:TAG unpacks to the same files" diff -r --no-dereference "$TREE" "$DTREE"
check_eq "an image of the same layers with another config shares the tree" "$TREE" "$(pull "oci:$FIX/bare:v1" >/dev/null; tree_of "oci:$FIX/bare:v1")"
# a Docker 25+ save: an OCI layout inside (index.json naming the image in io.containerd.image.name), with manifest.json
cp -a "$FIX/alpine" "$FIX/d25"
python3 - "$FIX/d25" <<'PY'
import json, os, sys
lay = sys.argv[1]
index = json.load(open(lay + "/index.json"))
e = index["manifests"][0]
e["annotations"] = {"io.containerd.image.name": "docker.io/library/alpine:3.22", "org.opencontainers.image.ref.name": "3.22"}
json.dump(index, open(lay + "/index.json", "w"))
m = json.load(open(lay + "/blobs/sha256/" + e["digest"][7:]))
json.dump([{"Config": "blobs/sha256/" + m["config"]["digest"][7:], "RepoTags": ["alpine:3.22"],
            "Layers": ["blobs/sha256/" + l["digest"][7:] for l in m["layers"]]}], open(lay + "/manifest.json", "w"))
PY
tar -C "$FIX/d25" -cf "$FIX/alpine-d25.tar" .
check_eq "docker-archive of a Docker 25 save reads the OCI layout inside (the same manifest)" "$DIGEST" \
	"$(pull "docker-archive:$FIX/alpine-d25.tar:alpine:3.22" | awk '{print $2}')"
check "docker-archive: a tag the archive does not have" grep -q 'no image "docker.io/library/alpine:9" in its index' \
	<<<"$(pull "docker-archive:$FIX/alpine-d25.tar:alpine:9")"
check_eq "a bare archive path is a docker save (FILE)" "$(awk '{print $2}' <<<"$docker_out")" \
	"$(pull "$FIX/alpine-docker.tar" | awk '{print $2}')"
check_eq "a store without temporaries" 0 "$(store_temps)"

out=$(CENGINE_STORE_DIR=$WORK/store-pty python3 "$TOP_SRCDIR/tests/ptyrun.py" -- "$CENGINE" pull "oci:$FIX/alpine:v1" | tr -d '\r')
check_eq "pull on a terminal: a progress line per layer, then the image" \
	"layer 1/3 sha256:??????????? * MiB: unpacked|layer 2/3 sha256:??????????? * B: unpacked|layer 3/3 sha256:??????????? * B: unpacked|oci:$FIX/alpine:v1 $DIGEST (3 layers, * MiB)|exit=0" \
	"$(grep -v '^$' <<<"$out" | sed -E '/^layer/ s/sha256:[0-9a-f]{12}/sha256:???????????/; s/ [0-9.]+ (MiB|KiB|B)/ * \1/' | sed 's/KiB/B/' | paste -sd'|')"

# --- images
check_eq "images lists each name once" 9 "$("$CENGINE" images | tail -n +2 | wc -l)"
check_eq "four trees for nine names (zstd, the legacy docker save and order have other layers)" 4 "$(store_trees)"
json=$("$CENGINE" images --json)
check_eq "images --json: every name with its manifest and sizes" "9 $DIGEST" "$(python3 -c '
import json, sys
a = json.loads(sys.argv[1])
m = [x["manifest"] for x in a if x["name"].startswith("oci:") and x["name"].endswith("/alpine:v1")]
assert all(x["size"] > 3000000 and x["unpacked"] > 5000000 for x in a if x["name"].endswith("alpine:v1"))
print(len(a), m[0])' "$json")"

check_eq "completion: the store's names for rmi" "oci:$FIX/bare:v1" "$(complete_words cengine rmi "oci:$FIX/b")"
check_eq "completion: run --image" "--image" "$(complete_words cengine run --im)"
check_eq "completion: the new verbs" "images" "$(complete_words cengine ima)"

# --- check, up, exec: the image's config gives the command and env
write_conf "$CONF" "image = \"oci:$FIX/alpine:v1\"; env = [ \"IMG_B=file\" ];" <<CONF
  { name = "a1"; ip = "$NET.2"; }, { name = "a2"; image = "oci:$FIX/bare:v1"; ip = "$NET.3"; },
  { name = "a3"; image = "oci:$FIX/stop:v1"; ip = "$NET.4"; },
  { name = "a4"; image = "oci:$FIX/stop:v1"; ip = "$NET.5"; stop_signal = "SIGTERM"; }
CONF
check "check shows the image" grep -q "container a1: hostname a1, image oci:$FIX/alpine:v1, " <("$CENGINE" check "$CONF")
before=$(snapshot "$CONF")
check "up from images returns 0" "$CENGINE" up "$CONF"
check_eq "the image's Entrypoint + Cmd run as the command" "/bin/sleep 3600" "$(x a1 -- ps -o args | grep -x '/bin/sleep 3600')"
check_eq "the image's Env is there, the file's env over it (exec too)" "IMG_A=image IMG_B=file" "$(x a1 -- sh -c 'echo IMG_A=$IMG_A IMG_B=$IMG_B')"
check_eq "the command runs as the image's User" "nobody" "$(x a1 -- sh -c '
	for p in /proc/[0-9]*; do [ "$(tr "\0" " " <$p/cmdline)" = "/bin/sleep 3600 " ] && stat -c %U $p; done')"
check_eq "an image without Entrypoint and Cmd: pid 1 waits, nothing else runs" "init" "$(x a2 -- ps -o comm | grep -v -e COMMAND -e ps | paste -sd' ')"
transcript "$CONF" a2 "$NET.3" "$NET.1" "$NET.2" alpine "$TREE"
journal=/run/cengine/$PROJECT/journal
check "the image's StopSignal is the stop signal where the file gives none (journal: stop a3 2)" grep -q "^stop a3 2 " "$journal"
check "the file's stop_signal wins over the image's (stop a4 15)" grep -q "^stop a4 15 " "$journal"
check_eq "an image without StopSignal adds no stop line" "" "$(grep "^stop a[12] " "$journal")"
check "a container's writes do not reach the store's tree" sh -c "'$CENGINE' exec '$CONF' a1 -- sh -c 'echo w > /etc/w' && test ! -e '$TREE/etc/w'"
check "prune keeps the tree of a project that is up, even without a name" sh -c \
	"for n in oci:$FIX/alpine:v1 oci-archive:$FIX/alpine-oci.tar:v1 oci:$FIX/multi:v1 oci:$FIX/bare:v1 oci:$FIX/stop:v1 oci:$FIX/order:v1 \
	 docker-archive:$FIX/alpine-d25.tar:alpine:3.22; do
	 '$CENGINE' rmi \$n >/dev/null || exit 1; done; '$CENGINE' prune >/dev/null && test -x '$TREE/bin/busybox'"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
check "prune after down removes the unnamed tree" sh -c "'$CENGINE' prune | grep -q '^removed $TREE '"
check "up of a missing image imports it again" "$CENGINE" up "$CONF"
check "down returns 0" "$CENGINE" down "$CONF"

# --- run -it from an image (the image's command, or ours)
PTY="python3 $TOP_SRCDIR/tests/ptyrun.py"
subnets RUNNET
RUNNAME=img$$
out=$($PTY --on '# ' 'echo $IMG_A; whoami; exit 3\r' -- "$CENGINE" run -it --image "oci:$FIX/bare:v1" \
	--name "$RUNNAME" --ip "$RUNNET.2/24" -- /bin/sh)
check "run -it --image: a shell of the image on a terminal" grep -q '^image' <<<"$(tr -d '\r' <<<"$out")"
check "run -it --image: whoami is root" grep -q '^root' <<<"$(tr -d '\r' <<<"$out")"
check "run -it --image: exit status is the shell's" grep -qx 'exit=3' <<<"$(tr -d '\r' <<<"$out")"
check "run left no project" test ! -e "/run/cengine/run-$RUNNAME"
cp -a "$FIX/alpine" "$FIX/echo"
layout_config "$FIX/echo" v1 "c['config']['Entrypoint'] = ['/bin/sh', '-c']; c['config']['Cmd'] = ['echo from image in \$(pwd) as \$(whoami)']"
out=$("$CENGINE" run --image "oci:$FIX/echo:v1" --name "$RUNNAME" --ip "$RUNNET.2/24" </dev/null 2>&1)
check_eq "run --image without CMD runs the image's Entrypoint + Cmd as its User in its WorkingDir" \
	"from image in /srv as nobody rc=0" "$out rc=$?"
check "run without --rootfs or --image says so" grep -q '^cengine: run: --rootfs or --image is missing; usage: ' \
	<<<"$("$CENGINE" run --name x --ip 10.0.0.2/24 -- true 2>&1)"
check "rmi of a name not in the store fails with one line" sh -c \
	"test \"\$('$CENGINE' rmi oci:/nonexistent:v9 2>&1)\" = 'cengine: image oci:/nonexistent:v9: not in the store'"
finish
