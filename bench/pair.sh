#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/pair.sh: whole-process timings of the pair: `up` until centos1's first ping to centos2
# succeeds, and `down`; prints median, min and max over N runs (default 20) and the RSS of init.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CENGINE=${CENGINE:-$top/_build/cengine}
runs=${1:-20}
rootfs=$("$top/examples/make-demo-rootfs.sh" /var/tmp/cengine-bench-rootfs)
work=$(mktemp -d)
conf=$work/bench-pair.conf
trap '"$CENGINE" down "$conf" --timeout 1 >/dev/null 2>&1; rm -rf "$work"' EXIT
cat >"$conf" <<CONF
name = "bench-pair-$$";
networks = ( { name = "lan"; subnet = "10.254.77.0/24"; gateway = "10.254.77.1"; bridge = "cbench$$"; } );
defaults = { rootfs = "$rootfs"; cpu = 0.5; memory = "50M"; };
containers = ( { name = "centos1"; ip = "10.254.77.2"; }, { name = "centos2"; ip = "10.254.77.3"; } );
CONF

us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }
stats() { sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "median %.1f ms  min %.1f ms  max %.1f ms  (n=%d)\n", m/1000, v[1]/1000, v[NR]/1000, NR}'; }

up_times=() down_times=() rss=""
for _ in $(seq 1 "$runs"); do
	t0=$(us)
	"$CENGINE" up "$conf" >/dev/null
	until "$CENGINE" exec "$conf" centos1 -- ping -c 1 -W 1 10.254.77.3 >/dev/null 2>&1; do :; done
	t1=$(us)
	if [ -z "$rss" ]; then
		for pid in $("$CENGINE" ps "$conf" | awk 'NR>1 {print $4}'); do
			rss="$rss $(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
		done
	fi
	t2=$(us)
	"$CENGINE" down "$conf" >/dev/null
	t3=$(us)
	up_times+=($((t1 - t0)))
	down_times+=($((t3 - t2)))
done
echo "up until first ping: $(printf '%s\n' "${up_times[@]}" | stats)"
echo "down:                $(printf '%s\n' "${down_times[@]}" | stats)"
echo "RSS of each container's init (kB):$rss"
