#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/fixture.sh: what `up` costs per bind, tmpfs and file: one container with N of each, up and down R times, the median of up.
# usage (root): bench/fixture.sh [RUNS] [N...]   prints a markdown table (ms); CENGINE= the binary (default _build/cengine)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CENGINE=${CENGINE:-$top/_build/cengine}
. "$top/tests/lib.sh"
runs=${1:-7}
shift
sizes=${*:-1 8 32 128}
setup_work
ROOTFS=$(busybox_rootfs)
SRC=$TEST_CACHE/bench-fixture.$$	# a disk file system (idmappable)
at_exit "rm -rf '$SRC'"
mkdir -p "$SRC/d" && echo x >"$SRC/d/f" && echo content >"$SRC/file"
net=$(pick_subnet) || bail "no free subnet"
bridge=cebfx$$

# conf KIND N USERNS: a project of one container with N entries of KIND
conf() {
	local kind=$1 n=$2 userns=$3 i list=""
	for ((i = 0; i < n; i++)); do
		case $kind in
		bind) list+="\"$SRC/d:/b/$i:ro\", " ;;
		tmpfs) list+="\"/t/$i:size=1M\", " ;;
		file) list+="{ path = \"/f/$i\"; content = \"x\"; }, " ;;
		esac
	done
	case $kind in
	bind) list="binds = [ ${list%, } ];" ;;
	tmpfs) list="tmpfs = [ ${list%, } ];" ;;
	file) list="files = ( ${list%, } );" ;;
	esac
	[ "$n" -gt 0 ] || list=""
	cat >"$WORK/b.conf" <<CONF
name = "bfx$$";
networks = ( { name = "lan"; subnet = "$net.0/24"; gateway = "$net.1"; bridge = "$bridge"; } );
containers = ( { name = "a"; rootfs = "$ROOTFS"; ip = "$net.2"; command = [ "sleep", "600" ]; userns = $userns; $list } );
CONF
	register_conf "$WORK/b.conf"
}

# median of up (ms) over $runs runs of the current conf
median_up() {
	local t0 t1 i
	for ((i = 0; i < runs; i++)); do
		t0=$(now_ms)
		"$CENGINE" up "$WORK/b.conf" >/dev/null || bail "up failed: $("$CENGINE" up "$WORK/b.conf" 2>&1)"
		t1=$(now_ms)
		echo $((t1 - t0))
		"$CENGINE" down "$WORK/b.conf" --timeout 1 >/dev/null
	done | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

echo "- $(nproc) CPUs, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share the CPUs), $runs runs each, median of \`up\` until it returns"
echo
echo "| entries | user namespace | up, none (ms) | $(for n in $sizes; do printf 'up, %s (ms) | ' "$n"; done)per entry (ms, from the largest N) |"
echo "| --- | --- | --- | $(for _ in $sizes; do printf -- '--- | '; done)--- |"
for kind in bind tmpfs file; do
	for userns in true false; do
		conf "$kind" 0 "$userns"
		base=$(median_up)
		row="| $kind | $userns | $base |"
		last=0 lastn=1
		for n in $sizes; do
			conf "$kind" "$n" "$userns"
			last=$(median_up) lastn=$n
			row+=" $last |"
		done
		echo "$row $(awk -v a="$last" -v b="$base" -v n="$lastn" 'BEGIN {printf "%.2f", (a - b) / n}') |"
	done
done
