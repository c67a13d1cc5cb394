#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# crash.sh: `up` killed with SIGKILL after each journal step in turn; `down` must leave nothing.
. "$(dirname "$0")/../lib.sh"
require_root

ROOTFS=$(busybox_rootfs)
PROJECT=t-crash-$$
NET=$(pick_subnet) || { echo "Bail out! no free subnet"; exit 1; }
WORK=$(mktemp -d)
CONF=$WORK/crash.conf
cleanup() { "$CENGINE" down "$CONF" --timeout 1 >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

cat >"$CONF" <<CONF
name = "$PROJECT";
networks = ( { name = "lan"; subnet = "$NET.0/24"; gateway = "$NET.1"; bridge = "ctc$$"; } );
defaults = { rootfs = "$ROOTFS"; cpu = 0.5; memory = "50M"; };
containers = ( { name = "a"; ip = "$NET.2"; }, { name = "b"; ip = "$NET.3"; } );
CONF

before=$(project_snapshot "$CONF" "$PROJECT")
"$CENGINE" up "$CONF" && steps=$(wc -l <"/run/cengine/$PROJECT/journal")
"$CENGINE" down "$CONF"
check "a full up writes journal steps" test "${steps:-0}" -gt 5
for k in $(seq 1 "${steps:-0}"); do
	rc=$( (CENGINE_DEBUG_KILL_AT=$k "$CENGINE" up "$CONF" >/dev/null 2>&1; echo $?) 2>/dev/null)
	"$CENGINE" down "$CONF" --timeout 1
	down_rc=$?
	after=$(project_snapshot "$CONF" "$PROJECT")
	if [ $rc = 137 ] && [ $down_rc = 0 ] && [ "$before" = "$after" ]; then
		ok "killed after step $k: down leaves nothing"
	else
		not_ok "killed after step $k: down leaves nothing (up rc $rc, down rc $down_rc)"
		diag "$(diff <(echo "$before") <(echo "$after"))"
	fi
done
check "up works after the crashes" "$CENGINE" up "$CONF"
check "and pings" "$CENGINE" exec "$CONF" a -- ping -c 1 -W 2 "$NET.3"
# a down that cannot remove everything (no cgroup backend) says so and keeps the journal
CENGINE_CGROUP=none "$CENGINE" down "$CONF" --timeout 1 2>/dev/null
check_eq "down that leaves cgroups behind exits 1" 1 $?
check "and keeps the journal for the next down" test -s "/run/cengine/$PROJECT/journal"
check "down" "$CENGINE" down "$CONF"
check_eq "nothing left" "$before" "$(project_snapshot "$CONF" "$PROJECT")"
finish
