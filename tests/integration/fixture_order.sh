#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fixture_order.sh: depends_on: a client's command starts once its server is ready (ready passed) and its other dependency runs; without depends_on it would not find the server.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project fxorder
ROOTFS=$(busybox_rootfs)
# db listens only after 1.5 s; its ready check asks it over TCP. client asks it once, at its start.
SERVE='sleep 1.5; exec nc -ll -p 5000 -e /bin/echo db-ready'
ASK='nc -w 2 db 5000 </dev/null >/tmp/got 2>/dev/null; date +%s >/tmp/at; exec sleep 1000'
write_conf "$CONF" <<CONF
  { name = "client"; ip = "$NET.2"; depends_on = [ "db", "web" ]; command = [ "sh", "-c", "$ASK" ];
    ready = [ "test", "-e", "/tmp/at" ]; },
  { name = "db"; ip = "$NET.3"; command = [ "sh", "-c", "$SERVE" ];
    ready = [ "sh", "-c", "nc 127.0.0.1 5000 </dev/null | grep -q db-ready" ]; ready_timeout = 10; },
  { name = "web"; ip = "$NET.4"; command = [ "sleep", "1000" ]; }
CONF

check "check shows the order" grep -qx "  depends_on db web (its command starts once they are ready)" \
	<<<"$("$CENGINE" check "$CONF")"
before=$(snapshot "$CONF")
start=$(now_ms)
"$CENGINE" up "$CONF" >"$WORK/out" 2>&1 || bail "up failed: $(cat "$WORK/out")"
took=$(($(now_ms) - start))
check_eq "the client's command found db ready (its first and only ask got an answer)" "db-ready" "$(x client -- cat /tmp/got)"
check "up returned once the client was ready too (took $took ms, db needs 1.5 s)" test "$took" -ge 1400
pid=$(pid_of "$CONF" client)
cmd=$(pgrep -P "$pid" | head -n 1)
check "from the host: the client's command is a child of its init" test -n "$cmd"
"$CENGINE" down -t 0 "$CONF"
check_eq "down left nothing" "$before" "$(snapshot "$CONF")"

# the same without depends_on: the client asks too early and gets nothing (the check above can fail)
sed -i 's/depends_on = \[ "db", "web" \]; //' "$CONF"
"$CENGINE" up "$CONF" >/dev/null 2>&1 || bail "up failed"
check_eq "without depends_on the client's ask finds no server" "" "$(x client -- cat /tmp/got)"
"$CENGINE" down -t 0 "$CONF"

# a dependency that never gets ready: up fails naming it, the client's command never ran, nothing left
sed -i 's/name = "client"; ip = "[0-9.]*";/& depends_on = [ "db" ];/; s/grep -q db-ready/grep -q never/; s/ready_timeout = 10/ready_timeout = 2/' "$CONF"
"$CENGINE" up "$CONF" >/dev/null 2>"$WORK/err"
check_eq "up fails when a dependency is never ready" 1 "$?"
check "naming it" grep -q "^cengine: container db: not ready after 2 s" "$WORK/err"
check_eq "nothing left" "$before" "$(snapshot "$CONF")"

# up killed after each journal step, a held client among them (its init blocked on the hold pipe),
# stop lines too: down leaves nothing, and the next up works
sed -i 's/grep -q never/grep -q db-ready/; s/ready_timeout = 2/ready_timeout = 10/; s/name = "web"; ip = "[0-9.]*";/& stop_signal = "SIGINT"; stop_timeout = 1;/' "$CONF"
next_up() { "$CENGINE" up "$CONF" && "$CENGINE" down -t 0 "$CONF"; }
kill_up_at_each_step 10 "the next up works" next_up

# cycles and unknown names are refused by check: FILE:LINE, exit 2
sed -i 's/name = "db"; ip = "[0-9.]*";/& depends_on = [ "client" ];/' "$CONF"
"$CENGINE" check "$CONF" >/dev/null 2>"$WORK/err"
check_eq "a cycle: exit 2" 2 "$?"
check_eq "named with its path" "$CONF:5: containers.[0].depends_on: cycle client -> db -> client" "$(cat "$WORK/err")"
finish
