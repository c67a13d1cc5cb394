#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkinitrd.sh: the QEMU guest's initramfs (cpio newc): busybox, bash, iproute2's ip, cengine and the tests, with their libraries (libnftables too), kernel modules and a stress rootfs.
# The rootfs trees go on an ext4 image mounted through loop: the guest kernel (6.1)
# cannot idmap tmpfs, which user namespaces need for the rootfs.
# usage: mkinitrd.sh KERNEL_DIR CENGINE_BUILD_DIR SRC_DIR OUT   (run as root: it builds a rootfs)
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 KERNEL_DIR BUILD_DIR SRC_DIR OUT" >&2; exit 2; }
kdir=$1 build=$2 src=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# put SRC DEST: copy a host file into the stage. The stage's busybox links point at
# /bin/busybox, the HOST's busybox while we build: never write through a link.
put() {
	mkdir -p "$stage/$(dirname "$2")"
	rm -f "$stage/$2"
	cp -L "$1" "$stage/$2"
}

# copy_bin FILE DEST: a host program and every shared library it loads, at the same paths.
copy_bin() {
	local lib
	put "$1" "$2"
	for lib in $(ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		[ -e "$stage$lib" ] || put "$lib" "$lib"
	done
}

mkdir -p "$stage"/{mnt,bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,var/tmp,root,etc,modules,opt/cengine/src/tests,opt/cengine/unit}
chmod 1777 "$stage/tmp" "$stage/var/tmp"
bb=$(command -v busybox)
put "$bb" /bin/busybox
copy_bin "$(command -v bash)" /bin/bash
copy_bin "$(command -v ip)" /sbin/ip
copy_bin "$(command -v bridge)" /sbin/bridge	# pair.sh reads the bridge's forwarding entries
copy_bin "$(command -v sed)" /bin/sed	# GNU sed: tests/cmocka-tap uses -u
copy_bin "$(command -v stat)" /bin/stat	# GNU stat and date: the tests use -f %T and %N
copy_bin "$(command -v date)" /bin/date
copy_bin "$build/cengine" /opt/cengine/cengine
# libnftables, which cengine dlopen()s for a project's tables, with what it loads
# (awk reads all of ldconfig's output: exiting early would kill it with SIGPIPE, fatal under pipefail)
nftlib=$(ldconfig -p | awk '$1 == "libnftables.so.1" && $NF ~ /^\// && !found { print $NF; found = 1 }')
[ -n "$nftlib" ] || { echo "mkinitrd.sh: no libnftables.so.1 on this host" >&2; exit 1; }
copy_bin "$nftlib" "$nftlib"
[ ! -x "$build/tests/unit/test_cgroup" ] || copy_bin "$build/tests/unit/test_cgroup" /opt/cengine/unit/test_cgroup
# Last: busybox links for every applet that no host program above provides.
"$bb" --list-full | while read -r app; do
	[ -e "$stage/$app" ] || [ -L "$stage/$app" ] || ln -s /bin/busybox "$stage/$app"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$stage/etc/passwd"
echo 'root:x:0:' >"$stage/etc/group"

# Modules in load order: bridge needs stp, stp needs llc; nf_tables (a project's tables) needs
# nfnetlink and libcrc32c; the bridge family's meta expressions (iifname) are nft_meta_bridge's; tun
# gives /dev/net/tun for the devices key (fixture_mounts.sh).
mods=$(ls -d "$kdir"/lib/modules/*)
for m in net/llc/llc net/802/stp net/bridge/bridge drivers/net/veth fs/overlayfs/overlay drivers/block/loop \
	lib/libcrc32c net/netfilter/nfnetlink net/netfilter/nf_tables net/bridge/netfilter/nft_meta_bridge drivers/net/tun; do
	cp "$mods/kernel/$m.ko" "$stage/modules/"
	echo "$(basename "$m").ko" >>"$stage/modules/order"
done

cp -a "$src/tests/lib.sh" "$src/tests/cmocka-tap" "$src/tests/integration" "$stage/opt/cengine/src/tests/"
# the device allow-list's escape test (a BPF program on cgroup v2) and its static probe (guest.sh: DEV_PROBE)
mkdir -p "$stage/opt/cengine/src/tests/security"
cp "$src/tests/security/escape_lib.sh" "$src/tests/security/escape_dev.sh" "$src/tests/security/escape_fixture.sh" \
	"$stage/opt/cengine/src/tests/security/"
[ ! -x "$build/tests/security/probe_dev" ] || put "$build/tests/security/probe_dev" /opt/cengine/probe_dev
mkdir -p "$stage/opt/cengine/src/examples"
cp -a "$src/examples/stress" "$stage/opt/cengine/src/examples/"
. "$src/tests/lib.sh"
trees=$stage.trees
trap 'rm -rf "$stage" "$trees"' EXIT
mkdir -p "$trees"
cp -a "$(busybox_rootfs)" "$trees/busybox-rootfs"
cp "$stage/bin/busybox" "$trees/busybox-rootfs/bin/busybox"	# lib.sh compares it with the guest's
"$src/examples/stress/make-rootfs.sh" "$trees/busybox-rootfs" "$trees/stress-rootfs"
mkfs.ext4 -q -F -L cengine-cache -d "$trees" "$stage/opt/cengine/cache.ext4" 48M
[ -z "${VM_TESTS:-}" ] || echo "$VM_TESTS" >"$stage/opt/cengine/tests"	# default: see guest.sh
[ -z "${VM_DEBUG:-}" ] || cp "$VM_DEBUG" "$stage/opt/cengine/debug.sh"	# a script run first, its output as diagnostics
cp "$here/init" "$stage/init"
cp "$here/guest.sh" "$stage/opt/cengine/guest.sh"
chmod 755 "$stage/init" "$stage/opt/cengine/guest.sh"
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) >"$out"
