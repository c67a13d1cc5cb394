#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# image_bad.sh: broken images (digest mismatch, truncated or missing blob, unknown media type, another architecture only,
# bad JSON, a layer that is no tar) fail with one line, exit 1, and leave nothing in the store that a later run uses.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
. "$TOP_SRCDIR/tests/integration/image_lib.sh"
image_setup imgbad
# layer N's blob path of a layout's v1
layer() { python3 -c '
import json, sys
lay, n = sys.argv[1], int(sys.argv[2])
blob = lambda d: open(lay + "/blobs/sha256/" + d[7:]).read()
m = json.loads(blob(json.load(open(lay + "/index.json"))["manifests"][0]["digest"]))
print(lay + "/blobs/sha256/" + m["layers"][n]["digest"][7:])' "$1" "$2"; }
# broken NAME: a copy of the good layout to break
broken() { cp -a "$FIX/alpine" "$FIX/$1"; echo "$FIX/$1"; }

d=$(broken mismatch)
printf 'X' | dd of="$(layer "$d" 1)" bs=1 seek=20 conv=notrunc status=none
d=$(broken truncated)
truncate -s -10 "$(layer "$d" 2)"
d=$(broken missing)	# a layer that no other image has, so the store cannot have it either
layout_edit "$d" v1 "m['layers'][1]['digest'] = 'sha256:' + 'ab' * 32"
d=$(broken media)
layout_edit "$d" v1 "m['layers'][1]['mediaType'] = 'application/vnd.example.layer.v9'"
d=$(broken notar)
layout_edit "$d" v1 "import os
m['layers'][2]['digest'], m['layers'][2]['size'] = put(os.urandom(4096))"
d=$(broken badjson)
layout_edit "$d" v1 "m = {'schemaVersion': 2, 'config': 'nope'}"
d=$(broken armconfig)
layout_config "$d" v1 "c['architecture'] = 'arm64'"
ARM_ONLY=1 multiarch_layout "$FIX/alpine" "$FIX/armonly"

# bad NAME REF PATTERN: pull fails (1) with one line matching PATTERN (a grep -E), nothing of it stays in the store
bad() {
	local name=$1 ref=$2 pattern=$3 err rc names trees
	names=$(store_names) trees=$(store_trees)
	err=$("$CENGINE" pull "$ref" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 1 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -Eq "^cengine: image: $pattern" <<<"$err" &&
		[ "$(store_temps)" = 0 ] && [ "$(store_names)" = "$names" ] && [ "$(store_trees)" = "$trees" ]; then
		ok "$name: exit 1, one line, nothing kept"
	else
		not_ok "$name: exit 1, one line, nothing kept"
		diag "rc=$rc names $names -> $(store_names) trees $trees -> $(store_trees) temps $(store_temps)"
		diag "stderr: $err"
	fi
}
L=oci:$FIX
bad "digest mismatch" "$L/mismatch:v1" "$L/mismatch:v1: blob sha256:[0-9a-f]{64} does not match its digest \(sha256:[0-9a-f]{64}\)$"
bad "truncated blob" "$L/truncated:v1" "$L/truncated:v1: blob sha256:[0-9a-f]{64} has [0-9]+ bytes, its descriptor says [0-9]+$"
bad "missing layer" "$L/missing:v1" "$L/missing:v1: blob sha256:[0-9a-f]{64} is missing: No such file or directory$"
bad "unknown media type" "$L/media:v1" "$L/media:v1: layer sha256:[0-9a-f]{64}: unknown media type \"application/vnd.example.layer.v9\"$"
bad "a layer that is no tar" "$L/notar:v1" "layer 3/3 sha256:[0-9a-f]{64}: Unrecognized archive format$"
bad "a manifest that is no manifest" "$L/badjson:v1" "$L/badjson:v1: a descriptor without mediaType, digest or size$"
bad "an index for another architecture only" "$L/armonly:v1" "$L/armonly:v1: no image for linux/amd64 \(it has linux/arm64\)$"
bad "a config for another architecture" "$L/armconfig:v1" "$L/armconfig:v1: the image is for linux/arm64, this host is linux/amd64$"
bad "no such reference" "$L/alpine:nope" "$L/alpine:nope: no image \"nope\" in its index \(it has: v1\)$"
bad "not a layout" "oci:$WORK" "oci:$WORK: not an OCI image layout: oci-layout: No such file or directory$"
readme=$(realpath "$TOP_SRCDIR/README.md")
bad "an archive that is no archive" "oci-archive:$readme" "oci-archive:$readme: Unrecognized archive format$"
check_eq "after all that the store has no name and no tree" "0 0" "$(store_names) $(store_trees)"

# a registry that is not there (loopback, nothing listens on port 1: no traffic leaves the host)
bad "a registry that does not answer" "127.0.0.1:1/alpine:3.22" \
	"pulling 127\\.0\\.0\\.1:1/alpine:3\\.22: 127\\.0\\.0\\.1:1: .*Couldn't connect to server$"

# up of a broken image: exit 1, one line, the host as before, nothing in the store
write_conf "$CONF" "" <<CONF
  { name = "b"; image = "$L/truncated:v1"; ip = "$NET.2"; }
CONF
before=$(snapshot "$CONF")
err=$("$CENGINE" up "$CONF" 2>&1 >/dev/null)
check_eq "up of a broken image exits 1" 1 "$?"
check "up says what is broken in one line" grep -Eqx "cengine: container b: image: $L/truncated:v1: blob sha256:[0-9a-f]{64} has [0-9]+ bytes, its descriptor says [0-9]+" <<<"$err"
check_eq "up of a broken image leaves the host as before" "$before" "$(snapshot "$CONF")"
check_eq "and nothing in the store" "0 0 0" "$(store_names) $(store_trees) $(store_temps)"
# bad_config NAME KEY PYTHON-VALUE WHAT EXPECTED: an image whose config KEY is that value: up refuses it in
# one line (EXPECTED, escaped, with its exit code), makes nothing
bad_config() {
	local conf=$WORK/$1.conf err before
	cp -a "$FIX/alpine" "$FIX/$1"
	layout_config "$FIX/$1" v1 "c['config']['$2'] = $3"
	write_conf "$conf" "" <<CONF
  { name = "u"; image = "oci:$FIX/$1:v1"; ip = "$NET.2"; }
CONF
	before=$(snapshot "$conf")
	err=$("$CENGINE" up "$conf" 2>&1 >/dev/null)
	check_eq "an image's bad $2 ($4): one line, exit 1" "$5" "$err rc=$?"
	check_eq "and nothing made" "$before" "$(snapshot "$conf")"
}
bad_config baduser User "'root\\nx'" "not UID[:GID] or NAME[:GROUP]" \
	'cengine: container u: image config: User "root\x0ax" is not UID[:GID] or NAME[:GROUP] rc=1'
bad_config badstop StopSignal "'SIGNOPE\\x1b[2J'" "no signal, an escape sequence in it" \
	'cengine: container u: image config: StopSignal "SIGNOPE\x1b[2J" is not a signal name (SIGINT) or number rc=1'

# the blob mended: the verified blobs of the failed pull are reused, the image is whole
cp "$(layer "$FIX/alpine" 2)" "$(layer "$FIX/truncated" 2)"
check "the mended layout pulls" "$CENGINE" pull "$L/truncated:v1"
tree=$(find "$CENGINE_STORE_DIR/trees" -mindepth 1 -maxdepth 1)
check "its tree is whole (layer 3's file is there)" grep -qx three "$tree/etc/apk/only"
finish
