#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/test-checks.sh: what `cengine test` adds on a project that is up: a 10-container all-pairs
# reach matrix (90 ping checks) and 100 containers each pinging its gateway (100 checks), each at
# --jobs 1, 16 (the default) and 64; median and min-max of RUNS runs, as a Markdown table.
#   sudo bench/test-checks.sh [RUNS]      (CENGINE=path/to/cengine; default _build/cengine)
# Its own projects (benchtest-<pid>-N), a free 10.254.X.0/24 checked against the host's addresses and
# routes, the host's root tree as rootfs; everything is taken down on exit.
set -u
RUNS=${1:-7}
here=$(cd "$(dirname "$0")" && pwd)
CENGINE=${CENGINE:-$here/../_build/cengine}
[ "$(id -u)" = 0 ] || { echo "bench/test-checks.sh: run it as root" >&2; exit 1; }
[ -x "$CENGINE" ] || { echo "bench/test-checks.sh: no cengine at $CENGINE" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'for f in "$WORK"/*.conf; do "$CENGINE" down "$f" --timeout 1 >/dev/null 2>&1; done; rm -rf "$WORK"' EXIT INT TERM

free_net() {
	local x
	for x in $(shuf -i 1-250); do
		if ! ip -4 -o addr show | grep -q " 10\.254\.$x\." && ! ip -4 route show | grep -q "^10\.254\.$x\."; then
			echo "10.254.$x"
			return 0
		fi
	done
	return 1
}

# conf N TESTS: N containers c1..cN on one /24 with a gateway, and the tests list
conf() {
	local net=$1 n=$2 tests=$3 file
	file=$WORK/benchtest-$$-$n.conf
	cat >"$file" <<CONF
name = "benchtest-$$-$n";
networks = ( { name = "lan"; subnet = "$net.0/24"; gateway = "$net.1"; } );
containers = ( { name = "c"; count = $n; ip = "auto"; } );
tests = ( $tests );
CONF
	echo "$file"
}

# stats MS...: "median (min–max)"
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.0f ms (%.0f–%.0f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

measure() {	# measure FILE JOBS: RUNS timings of `cengine test -q` in ms
	local t0 t1 out=()
	for _ in $(seq 1 "$RUNS"); do
		t0=$(date +%s%N)
		"$CENGINE" test -q -j "$2" "$1" || { echo "bench/test-checks.sh: a check failed" >&2; exit 1; }
		t1=$(date +%s%N)
		out+=($(((t1 - t0) / 1000000)))
	done
	stats "${out[@]}"
}

net=$(free_net) || { echo "no free 10.254.X.0/24" >&2; exit 1; }
matrix=$(conf "$net" 10 "{ reach = [ $(seq -f '"c%g"' 1 10 | paste -sd,) ]; }")
net2=$(free_net) || { echo "no free 10.254.X.0/24" >&2; exit 1; }
gw=$(conf "$net2" 100 "$(for i in $(seq 1 100); do printf '{ from = "c%d"; ping = "%s.1"; },\n' "$i" "$net2"; done | sed '$ s/,$//')")
"$CENGINE" up -q "$matrix" && "$CENGINE" up -q "$gw" || exit 1

echo "- machine: $(nproc) CPUs, kernel $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs each"
echo
echo "| checks | --jobs | \`cengine test\` on the project that is up, median (min–max) |"
echo "| --- | --- | --- |"
for j in 1 16 64; do
	echo "| 10 containers, all pairs (90 pings) | $j | $(measure "$matrix" "$j") |"
done
for j in 1 16 64; do
	echo "| 100 containers, each to its gateway (100 pings) | $j | $(measure "$gw" "$j") |"
done
