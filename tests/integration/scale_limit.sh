#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scale_limit.sh: a network with more interfaces than a Linux bridge has ports (1,024) is refused
# by `check` and by `up` with one clear line, exit 2, and nothing is created.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project scale
ROOTFS=$(busybox_rootfs)
NETWORKS="{ name = \"lan\"; subnet = \"10.251.0.0/21\"; gateway = \"10.251.0.1\"; bridge = \"$BRIDGE\"; }"

# gen N FILE: N containers on one /21 network, listed one by one
gen() {
	local i a
	for i in $(seq 1 "$1"); do
		a=$((i + 1))
		printf '{ name = "c%d"; ip = "10.251.%d.%d"; }%s\n' "$i" $((a / 256)) $((a % 256)) "$([ "$i" = "$1" ] || echo ,)"
	done | write_conf "$2"
}

gen 1100 "$WORK/big.conf"
gen 1024 "$WORK/edge.conf"
before=$(snapshot "$WORK/edge.conf")
out=$("$CENGINE" check "$WORK/big.conf" 2>&1 >/dev/null)
check_eq "check of 1,100 containers on one bridge exits 2" 2 "$("$CENGINE" check "$WORK/big.conf" >/dev/null 2>&1; echo $?)"
check_eq "the message names the bridge port limit" \
	"$WORK/big.conf:4: containers: network lan has 1100 interfaces, more than the 1024 ports a Linux bridge holds (split them over several networks)" "$out"
check_eq "up of 1,100 exits 2" 2 "$("$CENGINE" up "$WORK/big.conf" >/dev/null 2>&1; echo $?)"
check_eq "and creates nothing" "$before" "$(snapshot "$WORK/edge.conf")"
check "1,024 containers on one bridge pass check" "$CENGINE" check "$WORK/edge.conf"
finish
