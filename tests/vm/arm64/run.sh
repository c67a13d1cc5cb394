#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: cross-build cengine for arm64 (Debian's gcc-aarch64-linux-gnu, arm64 -dev packages through multiarch, warnings as
# errors), then boot Debian's arm64 cloud kernel under qemu-system-aarch64 (-M virt -cpu max, TCG) on an initramfs of arm64
# busybox, bash and iproute2, and run the pair and limits-stress tests there (clone3, seccomp's native architecture, syscall numbers: arm64's).
. "$(dirname "$0")/../../lib.sh"
export VM_ARCH=arm64 QEMU=${QEMU:-qemu-system-aarch64}
. "$(dirname "$0")/../qemu.sh"
require_root

TIMEOUT=${VM_TIMEOUT:-600}
CROSS=${CROSS:-aarch64-linux-gnu}
command -v "$CROSS-gcc" >/dev/null || unavailable "no $CROSS-gcc (apt-get install gcc-aarch64-linux-gnu)"
[ -e /usr/lib/aarch64-linux-gnu/pkgconfig/libconfig.pc ] ||
	unavailable "no arm64 -dev packages (dpkg --add-architecture arm64; apt-get install libconfig-dev:arm64 ...; see .ci/run)"
CC=$CROSS-gcc vm_prepare
setup_work
ARM_BUILD=$BUILD/arm64	# kept between runs: make rebuilds what changed
mkdir -p "$ARM_BUILD"
if ! (cd "$ARM_BUILD" && { [ -f Makefile ] || PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
	"$TOP_SRCDIR/configure" --host="$CROSS" --enable-werror >configure.out 2>&1; } &&
	make -j"$(nproc)" cengine tests/security/probe_dev >make.out 2>&1); then
	diag "$(tail -n 20 "$ARM_BUILD/configure.out" "$ARM_BUILD/make.out" 2>/dev/null)"
	bail "cannot cross-build cengine for arm64 in $ARM_BUILD"
fi
SYSROOT=$("$VM/arm64/sysroot.sh") || unavailable "cannot fetch the arm64 packages (apt-get download)"
VM_TESTS=${VM_TESTS:-pair.sh limits-stress.sh arch.sh doctor_layout.sh} VM_EXTRA_TESTS=$VM/arm64/arch.sh VM_SYSROOT=$SYSROOT CC=$CROSS-gcc READELF=$CROSS-readelf \
	"$VM/mkinitrd.sh" "$KDIR" "$ARM_BUILD" "$TOP_SRCDIR" "$WORK/initrd" || bail "cannot build the arm64 initramfs"
vm_run "$WORK/initrd" "${VM_LOG:-$PWD/vm-arm64-console.log}" "$TIMEOUT" "console=ttyAMA0 quiet panic=-1" -M virt -cpu max
# after the guest's lines (vm_run numbers ours from its count)
check "cengine cross-built for arm64 with -Werror, an aarch64 ELF" sh -c "$CROSS-readelf -h '$ARM_BUILD/cengine' | grep -q 'Machine: *AArch64'"
check_eq "the guest ran on aarch64" aarch64 "$(tr -d '\r' <"${VM_LOG:-$PWD/vm-arm64-console.log}" | grep -m 1 -o '# guest:.*' | sed -n 's/^# guest: [^ ]* \([^,]*\),.*/\1/p')"
finish
