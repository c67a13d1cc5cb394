#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lock.sh: two `up` of one project at once: one wins, the other says so and exits non-zero; down waits for up.
. "$(dirname "$0")/../lib.sh"
require_root

ROOTFS=$(busybox_rootfs)
PROJECT=t-lock-$$
NET=$(pick_subnet) || { echo "Bail out! no free subnet"; exit 1; }
WORK=$(mktemp -d)
CONF=$WORK/lock.conf
cleanup() { "$CENGINE" down "$CONF" --timeout 1 >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

# `up` holds the project's lock while it waits 1.5 s for the ready command
cat >"$CONF" <<CONF
name = "$PROJECT";
networks = ( { name = "lan"; subnet = "$NET.0/24"; bridge = "ctl$$"; } );
defaults = { rootfs = "$ROOTFS"; };
containers = ( { name = "a"; ip = "$NET.2"; command = [ "sh", "-c", "sleep 1.5; touch /tmp/up; exec sleep 1000" ];
                 ready = [ "test", "-e", "/tmp/up" ]; } );
CONF

before=$(project_snapshot "$CONF" "$PROJECT")
"$CENGINE" up "$CONF" >"$WORK/out1" 2>"$WORK/err1" &
first=$!
sleep 0.5
"$CENGINE" up "$CONF" >"$WORK/out2" 2>"$WORK/err2"
second=$?
wait $first
check_eq "the first up wins" 0 $?
check_eq "the second up exits 1" 1 "$second"
check "and says another cengine holds the project" grep -q "^cengine: project $PROJECT is busy: another cengine holds" "$WORK/err2"
check_eq "the project runs once" 1 "$("$CENGINE" ps "$CONF" | grep -c " running ")"
check "down" "$CENGINE" down "$CONF"

# down while up is still starting: down waits for the lock, then removes everything
"$CENGINE" up "$CONF" >/dev/null 2>&1 &
up_pid=$!
sleep 0.5
check "down during up succeeds" "$CENGINE" down "$CONF"
wait $up_pid
check_eq "up, which finished first, succeeded" 0 $?
check_eq "nothing left" "$before" "$(project_snapshot "$CONF" "$PROJECT")"
finish
