#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: boot Debian's cloud kernel under QEMU (TCG) with pure cgroup v2, run the integration, limit and device escape tests inside; their TAP joins ours.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/qemu.sh"
require_root

TIMEOUT=${VM_TIMEOUT:-600}	# the guest takes about 270 s on a loaded 2-CPU host (TCG)
vm_prepare
setup_work
"$VM/mkinitrd.sh" "$KDIR" "$BUILD" "$TOP_SRCDIR" "$WORK/initrd" || bail "cannot build the initramfs"
vm_run "$WORK/initrd" "${VM_LOG:-$PWD/vm-console.log}" "$TIMEOUT"
finish
