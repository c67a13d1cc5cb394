#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_vm.sh: run topo_links.sh (and topo_examples.sh) inside the QEMU guest of tests/vm, whose Debian cloud
# kernel has sch_netem, so delay and loss are measured where the host kernel lacks netem. Reuses
# tests/vm/kernel.sh and mkinitrd.sh, then appends a cpio with the netem and tbf modules.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vm/qemu.sh"
require_root

TIMEOUT=${VM_TIMEOUT:-600}
vm_prepare
setup_work
VM_TESTS="topo_links.sh topo_examples.sh" "$VM/mkinitrd.sh" "$KDIR" "$BUILD" "$TOP_SRCDIR" "$WORK/initrd" >"$WORK/mkinitrd.log" 2>&1 ||
	bail "cannot build the initramfs: $(tail -n 3 "$WORK/mkinitrd.log")"
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

vm_run "$WORK/initrd" "${VM_LOG:-$PWD/topo-vm-console.log}" "$TIMEOUT"
check "the guest loaded sch_netem (no netem test was skipped)" sh -c "! grep -q 'SKIP this kernel has no sch_netem' '$WORK/tap'"
check "the guest measured the 10% loss over netem" sh -c "grep '^ok .* vm topo_links.sh: 10% loss loses' '$WORK/tap' | grep -vq '# SKIP'"
finish
