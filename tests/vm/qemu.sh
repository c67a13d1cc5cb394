# SPDX-License-Identifier: MIT
# qemu.sh: the host side of the tests that boot the QEMU guest (tests/vm/run.sh, topo_vm.sh): what they
# need, the boot, and the guest's TAP joined to ours with a check that the guest got to its end.
# shellcheck shell=bash

VM=$TOP_SRCDIR/tests/vm
QEMU=${QEMU:-qemu-system-x86_64}

# vm_prepare: the tools the guest needs and its kernel (KDIR; BUILD: cengine's build directory), or
# skip (fail in CI, which installs everything).
vm_prepare() {
	command -v "$QEMU" >/dev/null || unavailable "$QEMU is not installed (apt-get install qemu-system-x86)"
	command -v cpio >/dev/null || unavailable "cpio is not installed"
	command -v mkfs.ext4 >/dev/null || unavailable "mkfs.ext4 is not installed (e2fsprogs)"
	command -v "${CC:-cc}" >/dev/null || unavailable "no C compiler for the stress rootfs"
	KDIR=$("$VM/kernel.sh" "${VM_ARCH:-amd64}") || unavailable "cannot fetch linux-image-cloud-${VM_ARCH:-amd64} (apt-get download)"
	BUILD=$(cd "$(dirname "$CENGINE")" && pwd)
}

# vm_run INITRD LOG TIMEOUT [APPEND [QEMU_ARG...]]: boot the guest on INITRD (TCG: nested KVM here fails on
# the guest's cmpxchg16b), kernel command line APPEND (default: console, quiet, no reboot on panic), more
# arguments for qemu (a disk), its serial console in LOG, for TIMEOUT s at most. Its TAP, between guest.sh's markers,
# becomes ours (in $WORK/tap too; its failures count in finish), then two checks: the guest ran
# tests, and it printed its end marker (a guest that hangs or dies halfway has not).
vm_run() {
	local initrd=$1 log=$2 timeout=$3 append=${4:-console=ttyS0 quiet panic=-1} start rc
	shift $(($# < 4 ? $# : 4))
	start=$(date +%s)
	timeout "$timeout" "$QEMU" -accel tcg -m 1024 -smp 2 -nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$KDIR/vmlinuz" -initrd "$initrd" -append "$append" "$@" </dev/null >"$log" 2>&1
	rc=$?
	tr -d '\r' <"$log" |
		awk '/^CENGINE-VM-TAP-END/ { exit } go && !/^1\.\.[0-9]+$/ { print } /^CENGINE-VM-TAP-BEGIN/ { go = 1 }' >"$WORK/tap"
	cat "$WORK/tap"
	TAP_N=$(grep -cE '^(not )?ok ' "$WORK/tap")
	TAP_FAILED=$(grep -E '^not ok ' "$WORK/tap" | grep -cv '# TODO')
	diag "$(tr -d '\r' <"$log" | grep -m 1 -o '# guest:.*' | sed 's/^# //')"
	diag "guest ran $(($(date +%s) - start)) s (qemu status $rc), console log: $log"
	check "the guest booted and ran its tests" test "$TAP_N" -gt 0
	check "the guest reached its end marker within $timeout s" grep -q '^CENGINE-VM-TAP-END' <(tr -d '\r' <"$log")
	[ "$TAP_N" -gt 2 ] || diag "$(tail -n 30 "$log")"
}
