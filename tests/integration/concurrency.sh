#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# concurrency.sh: 4 projects up and down in parallel for ROUNDS rounds: each sees only its own objects, nothing leaks.
. "$(dirname "$0")/../lib.sh"
require_root

ROUNDS=${CENGINE_CONCURRENCY_ROUNDS:-50}
setup_project conc
ROOTFS=$(busybox_rootfs)
# project i: t-conc<i>-PID on bridge ${BRIDGE}<i> and a subnet of its own
for i in 1 2 3 4; do
	subnets net
	PROJECT=t-conc$i-$$ NETWORKS=$(NET=$net BRIDGE=$BRIDGE$i lan) write_conf "$WORK/p$i.conf" 'memory = "32M";' <<CONF
  { name = "x"; ip = "$net.2"; }, { name = "y"; ip = "$net.3"; }
CONF
done

# one worker: ROUNDS times up, check own objects only, down; prints one line per failure
worker() {
	local i=$1 conf
	conf=$WORK/p$i.conf
	for r in $(seq 1 "$ROUNDS"); do
		"$CENGINE" up "$conf" >/dev/null 2>"$WORK/err$i" || { echo "p$i round $r: up: $(cat "$WORK/err$i")"; continue; }
		[ "$("$CENGINE" ps "$conf" | grep -c " running ")" = 2 ] || echo "p$i round $r: ps does not show 2 running"
		ports=$(ip -o link show master "$BRIDGE$i" | wc -l)
		[ "$ports" = 2 ] || echo "p$i round $r: bridge $BRIDGE$i has $ports ports, not its 2"
		"$CENGINE" exec "$conf" x -- ping -c 1 -W 2 y >/dev/null 2>&1 || echo "p$i round $r: x cannot ping y"
		"$CENGINE" down "$conf" >/dev/null 2>"$WORK/err$i" || echo "p$i round $r: down: $(cat "$WORK/err$i")"
		[ "$(snapshot "$conf")" = "${before[i]}" ] || echo "p$i round $r: leftovers: $(snapshot "$conf")"
	done
}

for i in 1 2 3 4; do before[i]=$(snapshot "$WORK/p$i.conf"); done
start=$(date +%s)
for i in 1 2 3 4; do worker "$i" >"$WORK/fail$i" 2>&1 & done
wait
took=$(($(date +%s) - start))
diag "4 projects x $ROUNDS rounds in $took s"
for i in 1 2 3 4; do
	if [ -s "$WORK/fail$i" ]; then
		not_ok "project $i: $ROUNDS rounds of up, ping, down without a failure"
		diag "$(head -n 20 "$WORK/fail$i")"
	else
		ok "project $i: $ROUNDS rounds of up, ping, down without a failure"
	fi
	check_eq "project $i: nothing left" "${before[i]}" "$(snapshot "$WORK/p$i.conf")"
done
finish
