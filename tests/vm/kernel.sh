#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kernel.sh: fetch Debian's cloud kernel once (apt-get download + dpkg -x) and print its cache directory.
# The directory holds vmlinuz and lib/modules/<version>/. Exit 1 when it cannot be had.
# usage: kernel.sh [ARCH]   (amd64 by default; arm64 needs `dpkg --add-architecture arm64` and apt-get update)
set -euo pipefail
CACHE=${TEST_CACHE:-/var/tmp/cengine-test-cache}/vm
ARCH=${1:-amd64}

# The versioned package behind the meta package, e.g. linux-image-6.1.0-56-cloud-amd64.
# cached: the newest kernel fetched before (used when apt cannot help: offline).
cached() {
	local dir
	dir=$(ls -d "$CACHE"/linux-image-*-cloud-"$ARCH" 2>/dev/null | sort -V | tail -n 1 || true)
	[ -n "$dir" ] && [ -e "$dir/vmlinuz" ] || { echo "kernel.sh: $1 and no kernel cached in $CACHE" >&2; exit 1; }
	echo "$dir"
	exit 0
}

want=$(apt-cache depends "linux-image-cloud-$ARCH:$ARCH" 2>/dev/null |
	awk -v a="$ARCH" '$1 == "Depends:" { sub(/:.*/, "", $2) } $1 == "Depends:" && $2 ~ ("^linux-image-[0-9].*-cloud-" a "(-unsigned)?$") { print $2; exit }' || true)
[ -n "$want" ] || cached "linux-image-cloud-$ARCH is unknown to apt"
dir=$CACHE/$want
if [ ! -e "$dir/vmlinuz" ]; then
	mkdir -p "$CACHE"
	tmp=$(mktemp -d "$CACHE/fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	chmod 755 "$tmp"	# apt's _apt user writes here when it can
	(cd "$tmp" && apt-get download -q "$want:$ARCH" >&2) || cached "apt-get download $want:$ARCH failed"
	dpkg -x "$tmp"/"$want"_*.deb "$tmp/x"
	mkdir -p "$tmp/out"
	cp "$tmp"/x/boot/vmlinuz-* "$tmp/out/vmlinuz"
	mv "$tmp/x/lib" "$tmp/out/lib"
	rm -rf "$dir"
	mv "$tmp/out" "$dir"
fi
echo "$dir"
