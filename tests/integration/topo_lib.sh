# SPDX-License-Identifier: MIT
# topo_lib.sh: helpers of the topology tests (topo_*.sh) beside tests/lib.sh: a private rootfs, iproute2's
# ip by path, and the numbers of a ping summary.
# shellcheck shell=bash

# own_rootfs: set ROOTFS to a private copy of the shared busybox rootfs, beside it in $TEST_CACHE (a disk
# file system: the QEMU guest's kernel cannot idmap tmpfs), removed at exit. The shared one may be rebuilt
# by another test while ours run, and an overlay over a replaced lower dir sees nothing.
own_rootfs() {
	local src
	ROOTFS=$TEST_CACHE/topo-rootfs.$$
	at_exit "rm -rf '$ROOTFS'"
	src=$(busybox_rootfs) && rm -rf "$ROOTFS" && cp -a "$src" "$ROOTFS" && [ -x "$ROOTFS/bin/busybox" ] ||
		bail "no busybox rootfs"
}

# iproute2's ip by path: busybox nsenter (the QEMU guest's) would run its own ip applet
IP=$(command -v ip)

# ping_counts OUTPUT: "SENT RECEIVED" from a busybox/iputils ping summary.
ping_counts() { sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) \(packets \)\{0,1\}received.*/\1 \2/p' <<<"$1"; }
# ping_avg OUTPUT: the average round-trip time in ms.
ping_avg() { sed -n 's|.*min/avg/max[^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p' <<<"$1"; }
