#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# restart.sh: pid 1 restarts a command whose exec fails on a later try (it removed itself): it keeps restarting, never exits 127.
. "$(dirname "$0")/../lib.sh"
require_root
command -v python3 >/dev/null || skip_all "python3 is needed for the JSON checks"

setup_project restart
ROOTFS=$(busybox_rootfs)
# Each container's first run removes its own command from its overlay (the shared rootfs is
# untouched), so every later start fails at exec. of: on-failure, first run exits 3;
# al: always, first run exits 0. nx: a command missing from the start.
write_conf "$CONF" 'memory = "50M"; pids = 64;' <<CONF
  { name = "of"; ip = "$NET.2"; restart = "on-failure"; command = [ "/bin/sh", "-c", "echo first-run; rm /bin/sh; exit 3" ]; },
  { name = "al"; ip = "$NET.3"; restart = "always"; command = [ "/bin/rm", "/bin/rm" ]; }
CONF
PROJECT=$PROJECT-nx NETWORKS=$(lan) write_conf "$WORK/missing.conf" <<CONF
  { name = "nx"; ip = "$NET.4"; restart = "on-failure"; command = [ "/no/such/command" ]; }
CONF

json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }
field() { json "c=[c for c in d['containers'] if c['name']=='$1'][0]; print(c['$2'])"; }

before=$(snapshot "$CONF")
check "up" "$CENGINE" up "$CONF"
doc=$("$CENGINE" ps "$CONF" --json)
pid_of=$(field of pid <<<"$doc") pid_al=$(field al pid <<<"$doc")
# backoff 0.1 + 0.2 + 0.4 s: three failed restarts after ~0.7 s; wait for them (at most 10 s)
restarts_of() { "$CENGINE" ps "$CONF" --json | field "$1" restarts; }
three_restarts() { [ "$(restarts_of of)" -ge 3 ] && [ "$(restarts_of al)" -ge 3 ]; }
check "both commands were restarted three times" wait_for 10 three_restarts
doc=$("$CENGINE" ps "$CONF" --json)
for c in of al; do
	pid=pid_$c
	check_eq "$c: pid 1 still runs after its command's exec failed on a restart" "running ${!pid}" \
		"$(field $c state <<<"$doc") $(field $c pid <<<"$doc")"
	check "$c: and keeps restarting (restarts=$(field $c restarts <<<"$doc"))" test "$(field $c restarts <<<"$doc")" -ge 3
	check "$c: its exit file records the failed exec as 127" \
		grep -q '^127 ' "${CENGINE_STATE_DIR:-/run/cengine}/$PROJECT/$c/exit"
done
logs=$("$CENGINE" logs "$CONF" of)
check "of: its log shows the first run once" test "$(grep -c '^first-run$' <<<"$logs")" = 1
check "of: and each failed exec, with its reason" grep -q "exec /bin/sh: No such file or directory" <<<"$logs"
check "the shared rootfs still has its sh and rm" test -e "$ROOTFS/bin/sh" -a -e "$ROOTFS/bin/rm"
check "down" "$CENGINE" down "$CONF" --timeout 1
check_eq "nothing left after down" "$before" "$(snapshot "$CONF")"

# a command missing at the first start is still an error of up, whatever the restart policy
before=$(snapshot "$WORK/missing.conf")
err=$("$CENGINE" up "$WORK/missing.conf" 2>&1 >/dev/null)
check_eq "up fails when the command cannot be started at all" "1" "$?"
check "and says why" grep -q "container nx: exec /no/such/command: No such file or directory" <<<"$err"
check_eq "and leaves nothing" "$before" "$(snapshot "$WORK/missing.conf")"
finish
