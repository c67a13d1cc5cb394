#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# debian.sh: the systemd guest's Debian 12 tree (debootstrap from apt's own mirror, the kernel's modules), built once into the
# test cache under a name keyed by a hash of its inputs (this script with its package list, the kernel); prints its directory.
# usage: debian.sh KERNEL_DIR   (as root)
set -euo pipefail
kdir=$1
CACHE=${TEST_CACHE:-/var/tmp/cengine-test-cache}/vm
PACKAGES=systemd,systemd-sysv,dbus,kmod,iproute2,iputils-ping,procps,util-linux,libnftables1,libarchive13,libseccomp2,libsystemd0,libcmocka0
kver=$(basename "$(ls -d "$kdir"/lib/modules/*)")
key=$({ cat "$0"; echo "$kver"; } | sha256sum | cut -c1-16)
dir=$CACHE/debian12-systemd-$key
[ -x "$dir/lib/systemd/systemd" ] && { echo "$dir"; exit 0; }

# apt's mirror for bookworm (offline here except for it), as tests/security/distro.sh finds it
mirror=$(
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && awk '$1=="deb" && $0 ~ /bookworm/ {for (i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' "$f"
	done | head -n 1)
mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/.debian12-systemd.XXXXXX")
trap 'rm -rf "$tmp" "$tmp.log"' EXIT
debootstrap --variant=minbase --include="$PACKAGES" bookworm "$tmp" "${mirror:-http://deb.debian.org/debian}" >"$tmp.log" 2>&1 ||
	{ tail -n 5 "$tmp.log" >&2; exit 1; }
rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
# the kernel's modules, indexed in the tree (the guest's kmod loads bridge, veth, nf_tables... on demand)
mkdir -p "$tmp/lib/modules"
cp -a "$kdir/lib/modules/$kver" "$tmp/lib/modules/"
chroot "$tmp" /sbin/depmod "$kver"
echo cengine-sd >"$tmp/etc/hostname"
: >"$tmp/etc/fstab"
# no login prompts on the console the TAP goes to; nothing that waits for a network
for u in serial-getty@ttyS0.service getty@tty1.service systemd-networkd-wait-online.service apt-daily.timer \
	apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer systemd-timesyncd.service; do
	ln -sf /dev/null "$tmp/etc/systemd/system/$u"
done
mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"	# a concurrent builder won
trap - EXIT
rm -f "$tmp.log"
echo "$dir"
