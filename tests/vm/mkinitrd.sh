#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkinitrd.sh: the QEMU guest's initramfs (cpio newc): busybox, bash, iproute2's ip, cengine and the tests, with their libraries (libnftables too), kernel modules and a stress rootfs.
# The rootfs trees go on an ext4 image mounted through loop: the guest kernel (6.1)
# cannot idmap tmpfs, which user namespaces need for the rootfs.
# usage: mkinitrd.sh KERNEL_DIR CENGINE_BUILD_DIR SRC_DIR OUT   (run as root: it builds a rootfs)
# VM_SYSROOT: another architecture's programs and libraries (arm64/sysroot.sh) for the guest instead of the host's;
# their libraries are then found from their ELF NEEDED entries (ldd cannot run them).
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

SYSROOT=${VM_SYSROOT:-}

# prog NAME: the guest's program NAME (the host's, or the sysroot's).
prog() {
	local d
	[ -n "$SYSROOT" ] || { command -v "$1"; return; }
	for d in bin sbin usr/bin usr/sbin; do
		[ ! -e "$SYSROOT/$d/$1" ] || { echo "$SYSROOT/$d/$1"; return; }
	done
	echo "mkinitrd.sh: no $1 in $SYSROOT" >&2
	return 1
}

# sysroot_libs FILE: the guest paths of the loader and the libraries FILE loads, NEEDED entries followed in the sysroot.
sysroot_libs() {
	local todo=("$1") seen=" " f lib d found
	${READELF:-readelf} -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p'
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]} todo=("${todo[@]:1}")
		for lib in $(${READELF:-readelf} -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			[[ $seen == *" $lib "* ]] && continue
			seen+="$lib " found=
			for d in "$SYSROOT"/lib/*-linux-gnu "$SYSROOT"/usr/lib/*-linux-gnu; do
				[ -e "$d/$lib" ] && { found=$d/$lib; break; }
			done
			[ -n "$found" ] || { echo "mkinitrd.sh: $lib (for $f) is not in $SYSROOT" >&2; return 1; }
			echo "${found#"$SYSROOT"}"
			todo+=("$found")
		done
	done
}

# copy_bin FILE DEST: a program and every shared library it loads, at the same paths.
copy_bin() {
	local lib
	put "$1" "$2"
	if [ -n "$SYSROOT" ]; then
		for lib in $(sysroot_libs "$1"); do
			[ -e "$stage$lib" ] || put "$SYSROOT$lib" "$lib"
		done
		return
	fi
	for lib in $(ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		[ -e "$stage$lib" ] || put "$lib" "$lib"
	done
}

mkdir -p "$stage"/{mnt,bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,var/tmp,root,etc,modules,opt/cengine/src/tests,opt/cengine/unit}
chmod 1777 "$stage/tmp" "$stage/var/tmp"
bb=$(prog busybox)
put "$bb" /bin/busybox
copy_bin "$(prog bash)" /bin/bash
copy_bin "$(prog ip)" /sbin/ip
copy_bin "$(prog bridge)" /sbin/bridge	# pair.sh reads the bridge's forwarding entries
copy_bin "$(prog sed)" /bin/sed	# GNU sed: tests/cmocka-tap uses -u
copy_bin "$(prog stat)" /bin/stat	# GNU stat and date: the tests use -f %T and %N
copy_bin "$(prog date)" /bin/date
copy_bin "$build/cengine" /opt/cengine/cengine
# libnftables, which cengine dlopen()s for a project's tables, with what it loads (libnftnl and libmnl, which
# cengine also dlopen()s for down)
# (awk reads all of ldconfig's output: exiting early would kill it with SIGPIPE, fatal under pipefail)
if [ -n "$SYSROOT" ]; then
	nftlib=$(ls "$SYSROOT"/usr/lib/*-linux-gnu/libnftables.so.1 | head -n 1)
	copy_bin "$nftlib" "${nftlib#"$SYSROOT"}"
else
	nftlib=$(ldconfig -p | awk '$1 == "libnftables.so.1" && $NF ~ /^\// && !found { print $NF; found = 1 }')
	[ -n "$nftlib" ] || { echo "mkinitrd.sh: no libnftables.so.1 on this host" >&2; exit 1; }
	copy_bin "$nftlib" "$nftlib"
fi
[ ! -x "$build/tests/unit/test_cgroup" ] || copy_bin "$build/tests/unit/test_cgroup" /opt/cengine/unit/test_cgroup
# Last: busybox links for every applet that no program above provides (the host's busybox lists them: the
# sysroot's is the same Debian version, and may not run here).
busybox --list-full | while read -r app; do
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

. "$here/payload.sh"
trees=$stage.trees
trap 'rm -rf "$stage" "$trees"' EXIT
VM_BUSYBOX=$bb vm_payload "$stage" "$trees" "$build" "$src"
mkfs.ext4 -q -F -L cengine-cache -d "$trees" "$stage/opt/cengine/cache.ext4" 48M
cp "$here/init" "$stage/init"
chmod 755 "$stage/init"
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) >"$out"
