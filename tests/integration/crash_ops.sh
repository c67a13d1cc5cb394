#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# crash_ops.sh: `up` SIGKILLed after every journal step of a project with readiness and restart policies;
# each time `down` leaves nothing (links, cgroups, state, upper dirs, lock, processes) and the next `up` works.
. "$(dirname "$0")/../lib.sh"
require_root

ROOTFS=$(busybox_rootfs)
PROJECT=t-crops-$$
NET=$(pick_subnet) || { echo "Bail out! no free subnet"; exit 1; }
WORK=$(mktemp -d)
CONF=$WORK/crash.conf
cleanup() { "$CENGINE" down "$CONF" --timeout 1 >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

cat >"$CONF" <<CONF
name = "$PROJECT";
networks = ( { name = "lan"; subnet = "$NET.0/24"; gateway = "$NET.1"; bridge = "cco$$"; } );
defaults = { rootfs = "$ROOTFS"; memory = "32M"; };
containers = (
  { name = "a"; ip = "$NET.2"; command = [ "sh", "-c", "echo x > /tmp/f; exec sleep 1000" ]; ready = [ "test", "-e", "/tmp/f" ]; },
  { name = "b"; ip = "$NET.3"; restart = "always"; command = [ "sh", "-c", "sleep 0.2" ]; },
  { name = "c"; ip = "$NET.4"; }
);
CONF

# processes of the project: anything whose cgroup names it
procs() { grep -l "cengine/$PROJECT/" /proc/[0-9]*/cgroup 2>/dev/null | wc -l; }

before=$(project_snapshot "$CONF" "$PROJECT")
"$CENGINE" up "$CONF" && steps=$(wc -l <"/run/cengine/$PROJECT/journal")
"$CENGINE" down "$CONF"
check "a full up writes journal steps (${steps:-0})" test "${steps:-0}" -gt 10
for k in $(seq 1 "${steps:-0}"); do
	rc=$( (CENGINE_DEBUG_KILL_AT=$k "$CENGINE" up "$CONF" >/dev/null 2>&1; echo $?) 2>/dev/null)
	"$CENGINE" down "$CONF" --timeout 1
	down_rc=$?
	after=$(project_snapshot "$CONF" "$PROJECT")
	left=$(procs)
	"$CENGINE" up "$CONF" >/dev/null 2>&1 && "$CENGINE" exec "$CONF" a -- ping -c 1 -W 2 c >/dev/null 2>&1
	next_rc=$?
	"$CENGINE" down "$CONF" >/dev/null 2>&1
	if [ "$rc" = 137 ] && [ $down_rc = 0 ] && [ "$before" = "$after" ] && [ "$left" = 0 ] && [ $next_rc = 0 ]; then
		ok "killed after step $k: down leaves nothing, the next up works"
	else
		not_ok "killed after step $k: down leaves nothing, the next up works (up rc $rc, down rc $down_rc, processes $left, next up+ping $next_rc)"
		diag "$(diff <(echo "$before") <(echo "$after"))"
	fi
done
check_eq "nothing left" "$before" "$(project_snapshot "$CONF" "$PROJECT")"
finish
