#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lock.sh: two `up` of one project at once: one wins, the other says so and exits non-zero; down waits for up.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project lock
ROOTFS=$(busybox_rootfs)
# a is ready only once the test opens its gate (/tmp/go, by exec): until then `up` holds the project's lock
NETWORKS="{ name = \"lan\"; subnet = \"$NET.0/24\"; bridge = \"$BRIDGE\"; }"
write_conf "$CONF" <<CONF
  { name = "a"; ip = "$NET.2"; command = [ "sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.05; done; touch /tmp/up; exec sleep 1000" ];
    ready = [ "test", "-e", "/tmp/up" ]; ready_timeout = 30; }
CONF

# lock_entries: the project's lock in /proc/locks (by device and inode): "N: FLOCK ..." for the
# holder, "N: -> FLOCK ..." for each process that waits for it
lock_entries() {
	local id
	id=$(stat -c '%Hd %Ld %i' "/run/cengine/$PROJECT.lock" 2>/dev/null) || return 1
	set -- $id
	grep " FLOCK .* $(printf '%02x:%02x' "$1" "$2"):$3 " /proc/locks
}
locked() { lock_entries | grep -qv -- ' -> '; }
waited_for() { lock_entries | grep -q -- ' -> '; }
open_gate() { x a -- touch /tmp/go; }

before=$(snapshot "$CONF")
"$CENGINE" up "$CONF" >"$WORK/out1" 2>"$WORK/err1" &
first=$!
check "the first up takes the project's lock" wait_for 10 locked
"$CENGINE" up "$CONF" >"$WORK/out2" 2>"$WORK/err2"
second=$?
check "a's gate opens (the first up waits for it)" wait_for 10 open_gate
wait $first
check_eq "the first up wins" 0 $? || diag "$(cat "$WORK/err1")"
check_eq "the second up exits 1" 1 "$second"
check "and says another cengine holds the project" grep -q "^cengine: project $PROJECT is busy: another cengine holds" "$WORK/err2"
check_eq "the project runs once" 1 "$("$CENGINE" ps "$CONF" | grep -c " running ")"
check "down" "$CENGINE" down "$CONF"

# down while up is still starting: down waits for the lock, then removes everything
"$CENGINE" up "$CONF" >/dev/null 2>&1 &
up_pid=$!
check "up takes the project's lock" wait_for 10 locked
"$CENGINE" down "$CONF" >"$WORK/down-out" 2>&1 &
down_pid=$!
check "down waits for the lock that up holds" wait_for 10 waited_for
check "a's gate opens" wait_for 10 open_gate
wait $up_pid
check_eq "up, which finished first, succeeded" 0 $?
wait $down_pid
check_eq "down during up succeeds" "0 " "$? $(cat "$WORK/down-out")"
check_eq "nothing left" "$before" "$(snapshot "$CONF")"
finish
