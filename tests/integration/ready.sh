#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ready.sh: a ready command that never succeeds: up fails naming the container, shows its log, leaves nothing.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project ready
ROOTFS=$(busybox_rootfs)
write_conf "$CONF" <<CONF
  { name = "good"; ip = "$NET.2"; ready = [ "true" ]; },
  { name = "db"; ip = "$NET.3"; command = [ "sh", "-c", "echo starting-$$; echo no-space-$$ >&2; exec sleep 1000" ];
    ready = [ "sh", "-c", "test -e /tmp/never" ]; ready_timeout = 1.5; }
CONF

before=$(snapshot "$CONF")
start=$(date +%s%N)
"$CENGINE" up "$CONF" >"$WORK/out" 2>"$WORK/err"
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
check_eq "up fails when a ready command times out" 1 "$rc"
check "it waited ready_timeout (took $took ms, timeout 1500)" test "$took" -ge 1400 -a "$took" -lt 10000
check "the last line names the container and the timeout" \
	grep -Eq "^cengine: container db: not ready after 1.5 s \(sh: (exit status 1|still running)\)$" <<<"$(tail -n 1 "$WORK/err")"
check "the log's last lines are shown (stdout)" grep -q "| starting-$$" "$WORK/err"
check "the log's last lines are shown (stderr)" grep -q "| no-space-$$" "$WORK/err"
check_eq "nothing on stdout" "" "$(cat "$WORK/out")"
check_eq "up removed everything it made (nothing half-up)" "$before" "$(snapshot "$CONF")"
check "ps shows no container of the project" test "$("$CENGINE" ps "$PROJECT" | wc -l)" = 1

# a container whose command exits before it is ready: up fails at once, not after the timeout
sed -i 's/exec sleep 1000/exit 3/; s/ready_timeout = 1.5/ready_timeout = 30/' "$CONF"
start=$(date +%s%N)
"$CENGINE" up "$CONF" >/dev/null 2>"$WORK/err"
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
check_eq "up fails when a container exits before it is ready" 1 "$rc"
check "without waiting for the timeout (took $took ms)" test "$took" -lt 10000
check "and says so" grep -q "^cengine: container db exited (status 3) before it was ready$" <<<"$(tail -n 1 "$WORK/err")"
check_eq "nothing left" "$before" "$(snapshot "$CONF")"
finish
