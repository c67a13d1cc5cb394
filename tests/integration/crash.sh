#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# crash.sh: `up` killed with SIGKILL after each journal step in turn; `down` must leave nothing.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project crash
ROOTFS=$(busybox_rootfs)
write_conf "$CONF" 'cpu = 0.5; memory = "50M";' <<CONF
  { name = "a"; ip = "$NET.2"; }, { name = "b"; ip = "$NET.3"; }
CONF

kill_up_at_each_step 5
check "up works after the crashes" "$CENGINE" up "$CONF"
check "and pings" "$CENGINE" exec "$CONF" a -- ping -c 1 -W 2 "$NET.3"
# a down that cannot remove everything (no cgroup backend) says so and keeps the journal
CENGINE_CGROUP=none "$CENGINE" down "$CONF" --timeout 1 2>/dev/null
check_eq "down that leaves cgroups behind exits 1" 1 $?
check "and keeps the journal for the next down" test -s "/run/cengine/$PROJECT/journal"
check "down" "$CENGINE" down "$CONF"
check_eq "nothing left" "$before" "$(snapshot "$CONF")"
finish
