#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_cycles.sh: 1,000 up/down cycles of examples/router.conf (own subnets and name) leave nothing
# behind: no link, state, cgroup, mount, process or nftables table of the project. Takes minutes;
# CENGINE_TOPO_CYCLES sets another count. Its time is printed as a diagnostic.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

CYCLES=${CENGINE_TOPO_CYCLES:-1000}
setup_project cycles
subnets N2
own_rootfs
sed -e "s|/srv/rootfs/demo|$ROOTFS|; s|^name = \"router\"|name = \"$PROJECT\"|" \
    -e "s|10\.1\.0\.|$NET.|g; s|10\.2\.0\.|$N2.|g" "$TOP_SRCDIR/examples/router.conf" >"$CONF"
check "the example router.conf, moved to this test's subnets, is valid" "$CENGINE" check "$CONF"
containers=$("$CENGINE" check "$CONF" | grep -c '^container ')

# dead PID: gone, or a zombie waiting for the host's reaper (down returns once they are killed)
dead() { [ ! -e "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null || [ ! -e "/proc/$1" ]; }

before=$(snapshot "$CONF")
failed=0 no_pid=0 alive=0
start=$(date +%s%N)
for i in $(seq 1 "$CYCLES"); do
	if ! "$CENGINE" up "$CONF" --quiet >"$WORK/out" 2>&1; then
		failed=$((failed + 1)); diag "cycle $i up: $(cat "$WORK/out")"
	fi
	[ "$i" = 1 ] && check "cycle 1: client reaches server through the router" \
		"$CENGINE" exec "$CONF" client -- ping -c 1 -W 2 "$N2.2"
	# this cycle's container inits: one pid > 0 for each container, all dead after the cycle's down
	pids=$("$CENGINE" ps "$CONF" | awk 'NR > 1 { print $4 }')
	if [ "$(grep -cE '^[1-9][0-9]*$' <<<"$pids")" != "$containers" ]; then
		no_pid=$((no_pid + 1)); diag "cycle $i: ps shows the pids '$(paste -sd' ' <<<"$pids")'"
		pids=$(grep -E '^[1-9][0-9]*$' <<<"$pids")
	fi
	if ! "$CENGINE" down "$CONF" --timeout 1 >"$WORK/out" 2>&1; then
		failed=$((failed + 1)); diag "cycle $i down: $(cat "$WORK/out")"
	fi
	for p in $pids; do
		dead "$p" || { alive=$((alive + 1)); diag "cycle $i: pid $p lives on after down"; }
	done
	[ $((failed + no_pid + alive)) -gt 5 ] && break
done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
diag "$i of $CYCLES up/down cycles of router.conf: $ms ms ($((ms / i)) ms per cycle)"
check_eq "all $CYCLES cycles ran" "$CYCLES" "$i"
check_eq "every up and down of $CYCLES cycles succeeded" 0 "$failed"
check_eq "nothing of the project is left (links, state, cgroups, mounts, processes, nftables)" "$before" "$(snapshot "$CONF")"
check_eq "every cycle's ps showed a pid > 0 for each of its $containers containers" 0 "$no_pid"
check_eq "every cycle's containers are dead after its down" 0 "$alive"
finish
