#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: boot a debootstrapped Debian 12 with systemd as pid 1 (pure cgroup v2) under QEMU (TCG) from a disk made with
# mke2fs -d; the pair, limits, limits-stress, crash and scope tests run there as a systemd service; their TAP joins ours.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../qemu.sh"
require_root

TIMEOUT=${VM_TIMEOUT:-900}
vm_prepare
command -v debootstrap >/dev/null || unavailable "debootstrap is not installed"
setup_work
"$VM/systemd/image.sh" "$KDIR" "$BUILD" "$TOP_SRCDIR" "$WORK/disk.ext4" "$WORK/initrd" || bail "cannot build the systemd guest's disk"
vm_run "$WORK/initrd" "${VM_LOG:-$PWD/vm-systemd-console.log}" "$TIMEOUT" \
	"console=ttyS0 root=/dev/vda rw quiet systemd.show_status=0 panic=-1" \
	-drive "file=$WORK/disk.ext4,format=raw,if=virtio"
finish
