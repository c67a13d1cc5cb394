#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# crash_ops.sh: `up` SIGKILLed after every journal step of a project with readiness and restart policies;
# each time `down` leaves nothing (links, cgroups, state, upper dirs, lock, processes) and the next `up` works.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project crops
ROOTFS=$(busybox_rootfs)
write_conf "$CONF" 'memory = "32M";' <<CONF
  { name = "a"; ip = "$NET.2"; command = [ "sh", "-c", "echo x > /tmp/f; exec sleep 1000" ]; ready = [ "test", "-e", "/tmp/f" ]; },
  { name = "b"; ip = "$NET.3"; restart = "always"; command = [ "sh", "-c", "sleep 0.2" ]; },
  { name = "c"; ip = "$NET.4"; }
CONF

# next_up: the next up works (a pings c), and down again
next_up() {
	"$CENGINE" up "$CONF" && "$CENGINE" exec "$CONF" a -- ping -c 1 -W 2 c
	local rc=$?
	"$CENGINE" down "$CONF" >/dev/null 2>&1
	return $rc
}
kill_up_at_each_step 10 "the next up works" next_up
check_eq "nothing left" "$before" "$(snapshot "$CONF")"
finish
