#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/fw.sh: what `up` of the pair spends on the host's firewall, per host kind (an open host, Docker,
# ufw, firewalld, Docker on iptables-legacy, each imitated in a netns as tests/integration/fw_hosts.sh
# does): the inspection (which also loads libnftables, loaded later on an open host anyway), the start
# of the project's batch that carries the nftables allow rules, the whole up and the whole down;
# median (min-max) of RUNS runs.
#   sudo bench/fw.sh [RUNS]      prints a markdown table (bench/fw.md holds the last one)
set -u -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
CENGINE=${CENGINE:-$top/_build/cengine}
TOP_SRCDIR=$top
. "$top/tests/lib.sh"
. "$top/tests/integration/fw_lib.sh"
[ "$(id -u)" = 0 ] || { echo "bench/fw.sh: run as root" >&2; exit 1; }

setup_project fwbench
CONFS=()
ROOTFS=$(busybox_rootfs)
export CENGINE_STATE_DIR=$WORK/state
write_conf "$CONF" 'cpu = 0.5; memory = "50M"; pids = 100;' <<CONF
  { name = "centos1"; ip = "$NET.2"; },
  { name = "centos2"; ip = "$NET.3"; }
CONF
CONFS=()

# stats: microsecond lines on stdin -> "median (min-max)" in ms
stats() { sort -n | awk '{v[NR] = $1} END {printf "%.1f (%.1f-%.1f)", v[int((NR + 1) / 2)] / 1000, v[1] / 1000, v[NR] / 1000}'; }
# mark FILE NAME: the ms of timing mark NAME in FILE, as microseconds
mark() { sed -n "s/^cengine: timing: $2 *\([0-9.]*\) ms/\1/p" "$1" | awk '{printf "%d\n", $1 * 1000}'; }

echo "| host kind | inspection ms | batch start ms | whole up ms | whole down ms | runs |"
echo "| --- | --- | --- | --- | --- | --- |"
for kind in open docker ufw firewalld legacy; do
	NS=fb$$$kind
	fw_netns "$NS"
	[ $kind = open ] || "fw_$kind" "$NS"
	: >"$WORK/inspect" && : >"$WORK/batch" && : >"$WORK/whole" && : >"$WORK/down"
	for _ in $(seq "$runs"); do
		t0=$(now_ms)
		CENGINE_DEBUG_TIMING=1 in_ns "$NS" "$CENGINE" up "$CONF" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
		echo $((($(now_ms) - t0) * 1000)) >>"$WORK/whole"
		mark "$WORK/out" "up: host firewall inspected (libnftables loaded)" >>"$WORK/inspect"
		mark "$WORK/out" "up: nftables tables started" >>"$WORK/batch"
		t0=$(now_ms)
		in_ns "$NS" "$CENGINE" down "$CONF" >/dev/null
		echo $((($(now_ms) - t0) * 1000)) >>"$WORK/down"
	done
	echo "| $kind | $(stats <"$WORK/inspect") | $(stats <"$WORK/batch") | $(stats <"$WORK/whole") | $(stats <"$WORK/down") | $runs |"
done
