#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scope.sh: in the systemd guest (tests/vm/systemd): a project's containers live in its delegated scope, which systemd shows and
# leaves alone (daemon-reload, an unrelated restart), and down stops it, also with a stray process left in it.
. "$(dirname "$0")/../lib.sh"
require_root
[ -d /run/systemd/system ] && [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] ||
	skip_all "not a systemd host on pure cgroup v2 (this test runs in tests/vm/systemd's guest)"

setup_project sdscope
ROOTFS=$(busybox_rootfs)
write_conf "$CONF" 'memory = "40M"; pids = 50;' <<CONF
  { name = "c1"; ip = "$NET.2"; },
  { name = "c2"; ip = "$NET.3"; }
CONF
UNIT=cengine-$PROJECT.scope
SCOPE=/sys/fs/cgroup/cengine.slice/$UNIT
before=$(snapshot "$CONF")
check "up returns 0" sh -c "CENGINE_DEBUG_TIMING=1 '$CENGINE' up '$CONF' 2>'$WORK/timing'"
diag "time up spent on the scope (StartTransientUnit, its job, the move to .cengine): $(grep -o 'systemd scope .*' "$WORK/timing")"
check_eq "systemd runs the project's scope" active "$(systemctl is-active "$UNIT")"
check_eq "the scope is delegated" "Delegate=yes" "$(systemctl show -p Delegate "$UNIT")"
check_eq "its control group is cengine.slice/$UNIT" "ControlGroup=/cengine.slice/$UNIT" "$(systemctl show -p ControlGroup "$UNIT")"
# where each container's init is: its own group in the scope
where() { for c in c1 c2; do p=$(pid_of "$CONF" $c); echo "$c $p $(cut -d: -f3 "/proc/$p/cgroup")"; done; }
placed=$(where)
check_eq "both inits are in their groups in the scope" \
	"c1 /cengine.slice/$UNIT/c1|c2 /cengine.slice/$UNIT/c2" "$(awk '{print $1, $3}' <<<"$placed" | paste -sd'|')"
check "ps --json names c1's group in the scope" grep -q "\"cgroup\":\"cengine.slice/$UNIT/c1\"" <<<"$("$CENGINE" ps --json "$CONF")"
status=$(systemctl status --no-pager -l "$UNIT" 2>&1)
diag "$status"
for c in c1 c2; do
	check "systemctl status shows $c's group and init" grep -qE "[^a-z0-9]$c\$|─$c" <<<"$status"
	check "systemctl status lists $c's init ($(awk -v c=$c '$1 == c {print $2}' <<<"$placed"))" \
		grep -qw "$(awk -v c=$c '$1 == c {print $2}' <<<"$placed")" <<<"$status"
done
cgls=$(systemd-cgls --no-pager -u "$UNIT" 2>&1)
diag "$cgls"
check_eq "systemd-cgls shows the scope's leaf and both containers' groups" ".cengine c1 c2" \
	"$(grep -oE '(\.cengine|c1|c2)( \(#[0-9]+\))?$' <<<"$cgls" | cut -d' ' -f1 | LC_ALL=C sort | paste -sd' ')"
check_eq "the scope's own group holds no process (only its leaf and the containers' groups do)" "" "$(cat "$SCOPE/cgroup.procs")"
check "the scope hands memory and pids down" sh -c "grep -qw memory '$SCOPE/cgroup.subtree_control' && grep -qw pids '$SCOPE/cgroup.subtree_control'"
check_eq "c1's memory.max holds 40M" $((40 << 20)) "$(cat "$SCOPE/c1/memory.max")"

# systemd must not move, freeze or kill them when it reloads or restarts something else
check "systemctl daemon-reload" systemctl daemon-reload
check "systemctl restart of an unrelated unit" systemctl restart cengine-idle.service
check_eq "after both, the inits are the same processes in the same groups" "$placed" "$(where)"
check_eq "and not frozen" "frozen 0|frozen 0" "$(grep -h frozen "$SCOPE"/c1/cgroup.events "$SCOPE"/c2/cgroup.events | paste -sd'|')"
check "c1 still pings c2" x c1 -- ping -c 1 -W 2 "$NET.3"
check "c2 still pings c1" x c2 -- ping -c 1 -W 2 "$NET.2"
check_eq "the scope is still active" active "$(systemctl is-active "$UNIT")"
check "down returns 0" "$CENGINE" down "$CONF"
check "systemd no longer runs the scope" sh -c "! systemctl is-active --quiet '$UNIT'"
check "its group is gone" test ! -e "$SCOPE"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"

# a forged journal line naming another unit: down refuses it and leaves that unit running
check "up for the forged line" "$CENGINE" up "$CONF"
j=/run/cengine/$PROJECT/journal
echo "unit cengine-idle.service" >>"$j"
"$CENGINE" down "$CONF" >"$WORK/out" 2>&1
check_eq "down with 'unit cengine-idle.service' in the journal exits 1" 1 $?
check "it names the refused line" grep -qF "unit cengine-idle.service\`: the systemd unit is not this project's" "$WORK/out"
check_eq "cengine-idle.service still runs" active "$(systemctl is-active cengine-idle.service)"
sed -i '$d' "$j"
check "down without the forged line" "$CENGINE" down "$CONF"

# a stray process in the scope (what a crash of up can leave): down's StopUnit ends it with the unit
check "up again" "$CENGINE" up "$CONF"
stray=$(sh -c 'sleep 1000 >/dev/null 2>&1 & echo $!')	# systemd reaps it, not us
at_exit "kill -9 $stray 2>/dev/null"
echo "$stray" >"$SCOPE/.cengine/cgroup.procs"
check "down with a stray process in the scope returns 0" "$CENGINE" down "$CONF"
check "the stray process is gone" wait_for 5 sh -c "! kill -0 $stray 2>/dev/null"
check "systemd no longer runs the scope after it" sh -c "! systemctl is-active --quiet '$UNIT'"
check_eq "down leaves the host as before up (with the stray)" "$before" "$(snapshot "$CONF")"
finish
