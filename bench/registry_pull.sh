#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# registry_pull.sh [RUNS]: time to pull the tests' Alpine image (three layers, 3.7 MiB) from Debian's docker-registry
# on loopback: cengine's registry_pull() (tests/image/registry-pull) and skopeo copy into an OCI layout, each into
# a new layout; then `cengine pull` (fetch + unpack) into a new store. Median and min-max of RUNS (default 10).
# Root, from a build tree that has made `make check` programs; uses the test fixtures (tests/image/registry_lib.sh).
set -u
runs=${1:-10}
top=$(cd "$(dirname "$0")/.." && pwd)
TOP_SRCDIR=$top
CENGINE=${CENGINE:-$top/_build/cengine}
. "$top/tests/lib.sh"
. "$top/tests/security/distro.sh"
. "$top/tests/integration/image_lib.sh"
. "$top/tests/image/registry_lib.sh"
image_setup bench-reg
PULL=$(dirname "$CENGINE")/tests/image/registry-pull
start_registry plain
skopeo copy -q --dest-tls-verify=false "oci:$FIX/alpine:v1" "docker://$REG_plain/alpine:3.22" || exit 1
# stat NAME CMD...: run CMD RUNS times (each with $i set and a fresh target), print median, min, max in ms
stat() {
	local name=$1 t0 ms=()
	shift
	for ((i = 0; i < runs; i++)); do
		t0=$(now_ms)
		eval "$*" >/dev/null 2>&1 || { echo "$name: failed"; return 1; }
		ms+=($(($(now_ms) - t0)))
	done
	printf '%s\n' "${ms[@]}" | sort -n | awk -v n="$name" '{v[NR] = $1} END {printf "| %s | %d ms | %d–%d ms |\n", n, v[int((NR + 1) / 2)], v[1], v[NR]}'
}
echo "| pull of alpine:3.22 from docker-registry on 127.0.0.1 | median | min–max |"
echo "| --- | ---: | ---: |"
stat "registry_pull() into an OCI layout" '"$PULL" "$REG_plain/alpine:3.22" "$WORK/c$i"'
stat "skopeo copy into an OCI layout" 'skopeo copy -q --src-tls-verify=false "docker://$REG_plain/alpine:3.22" "oci:$WORK/s$i:v1"'
stat "cengine pull (fetch + unpack) into a new store" 'CENGINE_STORE_DIR=$WORK/store$i "$CENGINE" pull "$REG_plain/alpine:3.22"'
stat "cengine pull again (manifest and config only)" 'CENGINE_STORE_DIR=$WORK/store0 "$CENGINE" pull "$REG_plain/alpine:3.22"'
