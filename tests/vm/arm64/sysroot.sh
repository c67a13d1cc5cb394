#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sysroot.sh: the arm64 guest's programs and libraries (bash, iproute2, GNU sed and coreutils, busybox, libnftables, libc), from
# Debian's arm64 packages (apt-get download + dpkg -x: nothing installed, nothing run), cached under a hash of the list; prints it.
# Needs `dpkg --add-architecture arm64` and an apt-get update (.ci/run does both).
set -euo pipefail
CACHE=${TEST_CACHE:-/var/tmp/cengine-test-cache}/vm
PACKAGES="bash libtinfo6 iproute2 libbpf1 libelf1 zlib1g libbsd0 libmd0 libselinux1 libpcre2-8-0 libmnl0 libcap2 libacl1
	libattr1 libgmp10 libnftables1 libnftnl11 libxtables12 libjansson4 sed coreutils busybox-static libc6 libgcc-s1"
key=$({ cat "$0"; apt-cache policy $(sed 's/\([^ ]*\)/\1:arm64/g' <<<$PACKAGES) 2>/dev/null | grep Candidate; } | sha256sum | cut -c1-16)
dir=$CACHE/arm64-sysroot-$key
[ -x "$dir/bin/bash" ] && { echo "$dir"; exit 0; }
mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/.arm64-sysroot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"	# apt's _apt user writes here when it can
(cd "$tmp" && apt-get download -q $(for p in $PACKAGES; do echo "$p:arm64"; done) >&2) ||
	{ echo "sysroot.sh: apt-get download of arm64 packages failed (dpkg --add-architecture arm64; apt-get update)" >&2; exit 1; }
mkdir "$tmp/root"
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/root"; done
mv -T "$tmp/root" "$dir" 2>/dev/null || true	# a concurrent builder may have won
echo "$dir"
