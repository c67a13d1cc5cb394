#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# concurrency.sh: 4 projects up and down in parallel for ROUNDS rounds: each sees only its own objects, nothing leaks.
. "$(dirname "$0")/../lib.sh"
require_root

ROUNDS=${CENGINE_CONCURRENCY_ROUNDS:-50}
ROOTFS=$(busybox_rootfs)
WORK=$(mktemp -d)
cleanup() {
	for i in 1 2 3 4; do "$CENGINE" down "$WORK/p$i.conf" --timeout 1 >/dev/null 2>&1; done
	rm -rf "$WORK"
}
trap cleanup EXIT

for i in 1 2 3 4; do
	net=$(pick_subnet) || { echo "Bail out! no free subnet"; exit 1; }
	cat >"$WORK/p$i.conf" <<CONF
name = "t-conc$i-$$";
networks = ( { name = "lan"; subnet = "$net.0/24"; gateway = "$net.1"; bridge = "cc$i-$$"; } );
defaults = { rootfs = "$ROOTFS"; memory = "32M"; };
containers = ( { name = "x"; ip = "$net.2"; }, { name = "y"; ip = "$net.3"; } );
CONF
	echo "$net" >"$WORK/p$i.net"
done

# one worker: ROUNDS times up, check own objects only, down; prints one line per failure
worker() {
	local i=$1 conf=$WORK/p$i.conf project=t-conc$i-$$
	for r in $(seq 1 "$ROUNDS"); do
		"$CENGINE" up "$conf" >/dev/null 2>"$WORK/err$i" || { echo "p$i round $r: up: $(cat "$WORK/err$i")"; continue; }
		[ "$("$CENGINE" ps "$conf" | grep -c " running ")" = 2 ] || echo "p$i round $r: ps does not show 2 running"
		ports=$(ip -o link show master "cc$i-$$" | wc -l)
		[ "$ports" = 2 ] || echo "p$i round $r: bridge cc$i-$$ has $ports ports, not its 2"
		"$CENGINE" exec "$conf" x -- ping -c 1 -W 2 y >/dev/null 2>&1 || echo "p$i round $r: x cannot ping y"
		"$CENGINE" down "$conf" >/dev/null 2>"$WORK/err$i" || echo "p$i round $r: down: $(cat "$WORK/err$i")"
		[ -z "$(project_snapshot "$conf" "$project")" ] || echo "p$i round $r: leftovers: $(project_snapshot "$conf" "$project")"
	done
}

for i in 1 2 3 4; do before[i]=$(project_snapshot "$WORK/p$i.conf" "t-conc$i-$$"); done
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
	check_eq "project $i: nothing left" "${before[i]}" "$(project_snapshot "$WORK/p$i.conf" "t-conc$i-$$")"
done
finish
