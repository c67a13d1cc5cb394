#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_vm.sh: run topo_links.sh (and topo_examples.sh) inside the QEMU guest of tests/vm, whose Debian cloud
# kernel has sch_netem, so delay and loss are measured where the host kernel lacks netem. Reuses
# tests/vm/kernel.sh and mkinitrd.sh, then appends a cpio with the netem and tbf modules.
. "$(dirname "$0")/../lib.sh"
require_root
VM=$TOP_SRCDIR/tests/vm
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${VM_TIMEOUT:-600}
BUILD=$(cd "$(dirname "$CENGINE")" && pwd)

# unavailable REASON: skip on a user's machine, fail in CI (which installs everything).
unavailable() {
	[ "${CI:-}" != true ] || { echo "Bail out! $*"; exit 1; }
	skip_all "$*"
}
[ -x "$VM/mkinitrd.sh" ] || unavailable "no tests/vm harness"
command -v "$QEMU" >/dev/null || unavailable "$QEMU is not installed (apt-get install qemu-system-x86)"
command -v cpio >/dev/null || unavailable "cpio is not installed"
KDIR=$("$VM/kernel.sh") || unavailable "cannot fetch linux-image-cloud-amd64 (apt-get download)"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
VM_TESTS="topo_links.sh topo_examples.sh" "$VM/mkinitrd.sh" "$KDIR" "$BUILD" "$TOP_SRCDIR" "$WORK/initrd" >"$WORK/mkinitrd.log" 2>&1 ||
	{ echo "Bail out! cannot build the initramfs: $(tail -n 3 "$WORK/mkinitrd.log")"; exit 1; }
# a second cpio after the first: its files replace the first's (modules/order gains netem and tbf)
mods=$(ls -d "$KDIR"/lib/modules/*)
mkdir -p "$WORK/extra/modules"
(cd "$WORK" && cpio -i --quiet --to-stdout modules/order <initrd) >"$WORK/extra/modules/order"
for m in sch_netem sch_tbf; do
	cp "$mods/kernel/net/sched/$m.ko" "$WORK/extra/modules/" && echo "$m.ko" >>"$WORK/extra/modules/order"
done
mkdir -p "$WORK/extra/opt/cengine/src/examples"	# the guest's tree has only examples/stress
cp -a "$TOP_SRCDIR"/examples/*.conf "$TOP_SRCDIR/examples/ci" "$WORK/extra/opt/cengine/src/examples/"
(cd "$WORK/extra" && find . -print0 | cpio --null -o -H newc --quiet) >>"$WORK/initrd"

LOG=${VM_LOG:-$PWD/topo-vm-console.log}
start=$(date +%s)
accel=tcg	# as tests/vm/run.sh: nested KVM here fails on the guest's cmpxchg16b
timeout "$TIMEOUT" "$QEMU" -accel "$accel" -m 1024 -smp 2 -nographic -no-reboot -nodefaults -serial stdio \
	-kernel "$KDIR/vmlinuz" -initrd "$WORK/initrd" -append "console=ttyS0 quiet panic=-1" </dev/null >"$LOG" 2>&1
rc=$?
secs=$(($(date +%s) - start))
tr -d '\r' <"$LOG" | awk '/^CENGINE-VM-TAP-END/ { exit } go && !/^1\.\.[0-9]+$/ { print } /^CENGINE-VM-TAP-BEGIN/ { go = 1 }' >"$WORK/tap"
cat "$WORK/tap"
TAP_N=$(grep -cE '^(not )?ok ' "$WORK/tap")
TAP_FAILED=$(grep -cE '^not ok ' "$WORK/tap")
diag "$(tr -d '\r' <"$LOG" | grep -m 1 '^# guest:' | sed 's/^# //')"
diag "guest ($accel) ran ${secs} s (qemu status $rc), console log: $LOG"
check "the guest booted and ran the topology tests" test "$TAP_N" -gt 0
check "the guest loaded sch_netem (no netem test was skipped)" sh -c "! grep -q 'SKIP this kernel has no sch_netem' '$WORK/tap'"
[ "$TAP_N" -gt 2 ] || diag "$(tail -n 30 "$LOG")"
finish
