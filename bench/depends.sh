#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/depends.sh: what depends_on costs `up`: the pair's up (no depends_on) with two cengine binaries, and a
# pair whose second container depends_on the first (with and without a ready command), N runs each, median and min-max in ms.
# usage: sudo bench/depends.sh [-n RUNS] CENGINE [CENGINE_BEFORE]
set -u -o pipefail
runs=50
[ "${1:-}" = -n ] && { runs=$2; shift 2; }
[ $# -ge 1 ] || { echo "usage: sudo bench/depends.sh [-n RUNS] CENGINE [CENGINE_BEFORE]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/depends.sh: run as root" >&2; exit 1; }
command -v busybox >/dev/null || { echo "bench/depends.sh: needs busybox (busybox-static)" >&2; exit 1; }

work=$(mktemp -d /var/tmp/cengine-bench-dep.XXXXXX)
project=bdep-$$ bridge=cbd$$
cleanup() { "$1" down -t 0 "$project" >/dev/null 2>&1; rm -rf "$work"; }
trap 'cleanup "$CE"' EXIT
CE=$1
root=$work/root
mkdir -p "$root"/{bin,etc,proc,sys,dev,tmp}
cp "$(command -v busybox)" "$root/bin/busybox"
for a in sh sleep true test; do ln -s busybox "$root/bin/$a"; done
net=
for _ in $(seq 1 50); do
	x=$((100 + RANDOM % 150)) y=$((RANDOM % 250))
	ip -4 -o addr show | grep -q " 10\.$x\.$y\." || ip -4 route show | grep -q "^10\.$x\.$y\." || { net=10.$x.$y; break; }
done
[ -n "$net" ] || { echo "no free subnet" >&2; exit 1; }

# conf NAME EXTRA_B: the pair, b with EXTRA_B
conf() {
	cat >"$work/$1.conf" <<CONF
name = "$project";
networks = ( { name = "lan"; subnet = "$net.0/24"; gateway = "$net.1"; bridge = "$bridge"; } );
defaults = { rootfs = "$root"; };
containers = ( { name = "a"; ip = "$net.2"; command = [ "sleep", "1000" ]; $3 },
  { name = "b"; ip = "$net.3"; command = [ "sleep", "1000" ]; $2 } );
CONF
}
conf pair "" ""
conf dep 'depends_on = [ "a" ];' ""
conf depready 'depends_on = [ "a" ];' 'ready = [ "true" ];'


# one_up CENGINE CONF: the ms of one up (then down), in hundredths
one_up() {
	local t0 t1
	t0=${EPOCHREALTIME/[.,]/}
	"$1" up -q "$2" >/dev/null 2>&1 || { echo "up failed: $2" >&2; exit 1; }
	t1=${EPOCHREALTIME/[.,]/}
	"$1" down -t 0 "$2" >/dev/null 2>&1
	echo $(((t1 - t0) / 10))
}
stats() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f (%.1f-%.1f)", a[int((NR + 1) / 2)] / 100, a[1] / 100, a[NR] / 100 }'; }

# the runs interleaved (the machine's load falls on all alike): before, pair, dep, depready
for _ in $(seq 1 "$runs"); do
	[ $# -ge 2 ] && one_up "$2" "$work/pair.conf" >>"$work/before"
	one_up "$1" "$work/pair.conf" >>"$work/pair"
	one_up "$1" "$work/dep.conf" >>"$work/dep"
	one_up "$1" "$work/depready.conf" >>"$work/depready"
done
echo "| up of | cengine | ms, median (min-max) of $runs |"
echo "| --- | --- | --- |"
[ $# -ge 2 ] && echo "| the pair | before: $2 | $(stats <"$work/before") |"
echo "| the pair | $1 | $(stats <"$work/pair") |"
echo "| b depends_on a (a has no ready) | $1 | $(stats <"$work/dep") |"
echo "| b depends_on a (a has ready = true) | $1 | $(stats <"$work/depready") |"
