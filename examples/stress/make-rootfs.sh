#!/bin/sh
# SPDX-License-Identifier: MIT
# make-rootfs.sh: copy a root tree and add the stress tools: /stress/hog (static C) and /stress/burn.sh.
# usage: make-rootfs.sh SOURCE_ROOTFS DEST   (CC overrides the compiler, default cc)
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SOURCE_ROOTFS DEST" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
src=$1 dest=$2
[ -d "$src" ] || { echo "$0: $src: no such directory" >&2; exit 1; }
mkdir -p "$dest"
cp -a "$src/." "$dest/"
mkdir -p "$dest/stress"
${CC:-cc} -static -O2 -o "$dest/stress/hog" "$here/hog.c"
cp "$here/burn.sh" "$dest/stress/burn.sh"
chmod 755 "$dest/stress/hog" "$dest/stress/burn.sh"
