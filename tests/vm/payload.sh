# SPDX-License-Identifier: MIT
# payload.sh: what every QEMU guest carries of cengine: its tests under /opt/cengine and the rootfs trees they use (sourced by mkinitrd.sh and systemd/image.sh).
# shellcheck shell=bash

# vm_payload STAGE TREES BUILD SRC: the tests, guest.sh and the test list (VM_TESTS, else guest.sh's default)
# under STAGE/opt/cengine (cengine itself is the caller's: its libraries differ per guest); the busybox and
# stress rootfs trees in TREES. VM_EXTRA_TESTS: more test files (paths, space-separated) that go with the
# integration tests. VM_BUSYBOX: the guest's busybox, when not the host's (another architecture;
# CC then compiles the stress tools for it).
vm_payload() {
	local stage=$1 trees=$2 build=$3 src=$4 vm
	vm=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	mkdir -p "$stage/opt/cengine/src/tests/security" "$stage/opt/cengine/src/examples" "$trees"
	cp -a "$src/tests/lib.sh" "$src/tests/cmocka-tap" "$src/tests/integration" "$stage/opt/cengine/src/tests/"
	# the device allow-list's escape test (a BPF program on cgroup v2) and its static probe (guest.sh: DEV_PROBE)
	cp "$src/tests/security/escape_lib.sh" "$src/tests/security/escape_dev.sh" "$src/tests/security/escape_fixture.sh" \
		"$stage/opt/cengine/src/tests/security/"
	[ ! -x "$build/tests/security/probe_dev" ] || cp "$build/tests/security/probe_dev" "$stage/opt/cengine/probe_dev"
	cp -a "$src/examples/stress" "$stage/opt/cengine/src/examples/"
	(
		. "$src/tests/lib.sh"
		cp -a "$(busybox_rootfs)" "$trees/busybox-rootfs"
	)
	[ -z "${VM_BUSYBOX:-}" ] || cp "$VM_BUSYBOX" "$trees/busybox-rootfs/bin/busybox"	# lib.sh compares it with the guest's
	"$src/examples/stress/make-rootfs.sh" "$trees/busybox-rootfs" "$trees/stress-rootfs"
	[ -z "${VM_EXTRA_TESTS:-}" ] || cp $VM_EXTRA_TESTS "$stage/opt/cengine/src/tests/integration/"	# a guest's own tests
	[ -z "${VM_TESTS:-}" ] || echo "$VM_TESTS" >"$stage/opt/cengine/tests"	# default: see guest.sh
	[ -z "${VM_DEBUG:-}" ] || cp "$VM_DEBUG" "$stage/opt/cengine/debug.sh"	# a script run first, its output as diagnostics
	cp "$vm/guest.sh" "$stage/opt/cengine/guest.sh"
	chmod 755 "$stage/opt/cengine/guest.sh"
}
