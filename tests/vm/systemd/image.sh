#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# image.sh: the systemd guest's disk (ext4 made with mke2fs -d from a copy of the cached Debian tree plus cengine and its
# tests: no loop mount) and its small initramfs (busybox and virtio's block driver: the cloud kernel has them as modules).
# usage: image.sh KERNEL_DIR CENGINE_BUILD_DIR SRC_DIR OUT_DISK OUT_INITRD   (as root)
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: $0 KERNEL_DIR BUILD_DIR SRC_DIR OUT_DISK OUT_INITRD" >&2; exit 2; }
kdir=$1 build=$2 src=$3 disk=$4 initrd=$5
here=$(cd "$(dirname "$0")" && pwd)
base=$("$here/debian.sh" "$kdir")
stage=$(mktemp -d) boot=$(mktemp -d)
trap 'rm -rf "$stage" "$boot"' EXIT

cp -a "$base/." "$stage/"
cp "$here"/*.service "$stage/etc/systemd/system/"	# the tests' service (and an unrelated one), started at boot
for u in "$here"/*.service; do
	ln -sf "/etc/systemd/system/$(basename "$u")" "$stage/etc/systemd/system/multi-user.target.wants/"
done
mkdir -p "$stage/opt/cengine/unit"
cp "$build/cengine" "$stage/opt/cengine/cengine"	# Debian 12 like the build host: the same libraries
[ ! -x "$build/tests/unit/test_cgroup" ] || cp "$build/tests/unit/test_cgroup" "$stage/opt/cengine/unit/"
cp "$(command -v busybox)" "$stage/usr/bin/busybox"	# lib.sh's busybox rootfs is checked against it
. "$here/../payload.sh"
VM_EXTRA_TESTS="$here/scope.sh" VM_TESTS=${VM_TESTS:-test_cgroup pair.sh limits.sh limits-stress.sh crash.sh scope.sh doctor_layout.sh exec_cgroup.sh} \
	vm_payload "$stage" "$stage/var/tmp/cengine-test-cache" "$build" "$src"
size=$(($(du -sm "$stage" | cut -f1) + 400))	# room for the tests' rootfs copies and logs
rm -f "$disk"
mke2fs -q -t ext4 -L cengine-root -d "$stage" "$disk" "${size}M"

mkdir -p "$boot"/{bin,proc,sys,dev,root,modules}
cp "$(command -v busybox)" "$boot/bin/busybox"
for app in sh mount umount insmod sleep switch_root poweroff; do ln -s busybox "$boot/bin/$app"; done
mods=$(ls -d "$kdir"/lib/modules/*)/kernel/drivers
for m in virtio/virtio_ring virtio/virtio virtio/virtio_pci_legacy_dev virtio/virtio_pci_modern_dev \
	virtio/virtio_pci block/virtio_blk; do
	cp "$mods/$m.ko" "$boot/modules/"
	echo "$(basename "$m").ko" >>"$boot/modules/order"
done
install -m 755 "$here/init" "$boot/init"
(cd "$boot" && find . -print0 | cpio --null -o -H newc --quiet) >"$initrd"
