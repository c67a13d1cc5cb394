#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nft_tables.sh: down's removal of a project's two marked filter tables (bridge and inet), timed in-process
# (bench/nft_remove.c, the first call: any dlopen() included), for two builds interleaved, each run in a new netns.
# Usage (root): bench/nft_tables.sh BUILD_DIR_A BUILD_DIR_B [RUNS]   (a configured and built tree each)
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR_A BUILD_DIR_B [RUNS]" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in 1 2; do
	b=$(cd "${!i}" && pwd)
	libs=$(sed -n 's/^CE_DEPS_LIBS = //p' "$b/Makefile")
	# shellcheck disable=SC2046,SC2086
	gcc -O2 -I"$src" -I"$b" $(pkg-config --cflags libnl-3.0) "$src/bench/nft_remove.c" "$b/libcengine.a" \
		$libs -ldl -lpthread -o "$tmp/remove$i"
done
cat >"$tmp/one.sh" <<'SH'
nft -f - <<NFT
add table bridge cengine-nb { comment "cengine:nb:filter"; }
add table inet cengine-nb { comment "cengine:nb:filter"; }
add chain inet cengine-nb fw_chain { type filter hook forward priority 0; }
NFT
"$1" nb cengine:nb:filter
[ -z "$(nft list tables)" ] || echo "a table stayed" >&2
SH
for _ in $(seq "${3:-20}"); do
	for i in 1 2; do echo "$i $(unshare -n sh "$tmp/one.sh" "$tmp/remove$i")"; done
done >"$tmp/runs"
! grep -v '^[12] 0 ' "$tmp/runs" || { echo "a removal failed" >&2; exit 1; }
for i in 1 2; do	# the median, then every run in order (other jobs on the machine make outliers)
	printf '%s: median %s ms of %s:%s\n' "${!i}" "$(awk -v i=$i '$1 == i { print $3 }' "$tmp/runs" | sort -n |
		awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')" \
		"$(grep -c "^$i " "$tmp/runs")" "$(awk -v i=$i '$1 == i { printf " %s", $3 }' "$tmp/runs")"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
