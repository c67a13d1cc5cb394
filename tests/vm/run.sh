#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: boot Debian's cloud kernel under QEMU (TCG) with pure cgroup v2, run the integration and limit tests inside; their TAP joins ours.
. "$(dirname "$0")/../lib.sh"
require_root
HERE=$(cd "$(dirname "$0")" && pwd)
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${VM_TIMEOUT:-300}
BUILD=$(cd "$(dirname "$CENGINE")" && pwd)

# unavailable REASON: skip on a user's machine, fail in CI (which installs everything).
unavailable() {
	[ "${CI:-}" != true ] || { echo "Bail out! $*"; exit 1; }
	skip_all "$*"
}
command -v "$QEMU" >/dev/null || unavailable "$QEMU is not installed (apt-get install qemu-system-x86)"
command -v cpio >/dev/null || unavailable "cpio is not installed"
command -v mkfs.ext4 >/dev/null || unavailable "mkfs.ext4 is not installed (e2fsprogs)"
command -v "${CC:-cc}" >/dev/null || unavailable "no C compiler for the stress rootfs"
KDIR=$("$HERE/kernel.sh") || unavailable "cannot fetch linux-image-cloud-amd64 (apt-get download)"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$HERE/mkinitrd.sh" "$KDIR" "$BUILD" "$TOP_SRCDIR" "$WORK/initrd" || { echo "Bail out! cannot build the initramfs"; exit 1; }

LOG=${VM_LOG:-$PWD/vm-console.log}
start=$(date +%s)
timeout "$TIMEOUT" "$QEMU" -accel tcg -m 1024 -smp 2 -nographic -no-reboot -nodefaults -serial stdio \
	-kernel "$KDIR/vmlinuz" -initrd "$WORK/initrd" \
	-append "console=ttyS0 quiet panic=-1" </dev/null >"$LOG" 2>&1
rc=$?
secs=$(($(date +%s) - start))

tr -d '\r' <"$LOG" | awk '/^CENGINE-VM-TAP-END/ { exit } go && !/^1\.\.[0-9]+$/ { print } /^CENGINE-VM-TAP-BEGIN/ { go = 1 }' >"$WORK/tap"
n=$(grep -cE '^(not )?ok ' "$WORK/tap")
cat "$WORK/tap"
TAP_N=$n
diag "$(tr -d '\r' <"$LOG" | grep -m 1 '^# guest:' | sed 's/^# //')"
diag "guest ran ${secs} s (qemu status $rc), console log: $LOG"
check "the guest booted and ran its tests" test "$n" -gt 0
check "the guest finished within ${TIMEOUT} s" grep -q '^CENGINE-VM-TAP-END' <(tr -d '\r' <"$LOG")
[ "$n" -gt 0 ] || diag "$(tail -n 30 "$LOG")"
finish
