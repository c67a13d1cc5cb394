#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# exec_cgroup.sh: an exec'd command is in exactly its container's groups in every hierarchy, sees its own as "/",
# and is born in the cgroup2 group (clone3 CLONE_INTO_CGROUP: no move through cgroup.procs, the kernel's tracer says).
# Runs here (hybrid) and in the busybox and systemd QEMU guests (pure cgroup2).
. "$(dirname "$0")/../lib.sh"
require_root

setup_project execcg
ROOTFS=$(busybox_rootfs)
write_conf "$CONF" 'command = [ "sleep", "600" ]; memory = "64M"; pids = 50;' <<CONF
  { name = "mapped"; ip = "$NET.2"; },
  { name = "plain"; ip = "$NET.3"; userns = false; }
CONF
before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
unified=no
grep -q '^0::' /proc/self/cgroup && unified=yes

# child_sleep PID: the pid of PID's child that runs sleep (from /proc: the guests have no pgrep).
child_sleep() {
	local f pid comm state ppid rest
	for f in /proc/[0-9]*/stat; do
		read -r pid comm state ppid rest <"$f" 2>/dev/null || continue
		[ "$ppid" != "$1" ] || [ "$comm" != "(sleep)" ] || { echo "$pid"; return 0; }
	done
	return 1
}

for name in mapped plain; do
	init=$(pid_of "$CONF" "$name")
	inside=$(x "$name" -- cat /proc/self/cgroup)
	check "$name: inside, /proc/self/cgroup has a line a hierarchy, each the namespace root ($(paste -sd' ' <<<"$inside"))" \
		sh -c '[ -n "$1" ] && ! printf "%s\n" "$1" | grep -qv "^[0-9]*:[^:]*:/$"' - "$inside"
	[ "$unified" = no ] || check "$name: inside, the cgroup2 line is 0::/" grep -qx '0::/' <<<"$inside"

	"$CENGINE" exec "$CONF" "$name" -- sleep 300 &
	relay=$!
	wait_for 10 child_sleep "$relay"
	cmd=$(child_sleep "$relay")
	check "$name: the exec'd sleep runs (host pid ${cmd:-none})" test -n "$cmd"
	check_eq "$name: host view: the exec'd command's groups are its pid 1's, in every hierarchy" \
		"$(cat "/proc/$init/cgroup")" "$(cat "/proc/${cmd:-0}/cgroup" 2>&1)"
	# the relay was cloned from: it stays in the host's cgroup2 group (it joined only the v1 ones)
	[ "$unified" = no ] || check_eq "$name: host view: cengine exec itself stays in our cgroup2 group" \
		"$(grep '^0::' /proc/self/cgroup)" "$(grep '^0::' "/proc/$relay/cgroup")"
	kill -TERM "$relay"
	wait "$relay"
	check_eq "$name: SIGTERM to cengine exec ends the command (status 143)" 143 $?
done

# A pids limit counts the command at its birth: with the group full, exec is refused (cengine joins the v1
# pids group before the clone; on cgroup v2 clone3 itself is charged to the group it is born in).
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then pg=$(cg_v2_dir "$PROJECT" plain); else pg=/sys/fs/cgroup/pids/cengine/$PROJECT/plain; fi
if [ -w "$pg/pids.max" ]; then
	max=$(cat "$pg/pids.max")
	cat "$pg/pids.current" >"$pg/pids.max"
	out=$(x plain -- true 2>&1)
	rc=$?
	echo "$max" >"$pg/pids.max"
	check "a full pids group refuses exec (status $rc: $out)" \
		sh -c '[ "$1" != 0 ] && printf "%s" "$2" | grep -q "Resource temporarily unavailable"' - "$rc" "$out"
	check_eq "with room again, exec works" ok "$(x plain -- echo ok)"
else
	unavailable "no pids controller at $pg"
fi

# The tracer (a tracefs instance of our own: its events and buffer are nobody else's) sees every move of a task
# into a group of the project (cgroup:cgroup_attach_task), none from clone3 CLONE_INTO_CGROUP. Control: a shell
# that writes its own pid to the container's cgroup.procs is seen.
TRACING=/sys/kernel/tracing
[ -e $TRACING/instances ] || mount -t tracefs nodev $TRACING 2>/dev/null
inst=$TRACING/instances/cengine-execcg-$$
if [ "$unified" = no ]; then
	skip "the command is born in its cgroup2 group" "no cgroup2 tree on this host"
elif ! mkdir "$inst" 2>/dev/null || [ ! -e "$inst/events/cgroup/cgroup_attach_task" ]; then
	rmdir "$inst" 2>/dev/null
	unavailable "no tracefs with the cgroup:cgroup_attach_task event"
else
	at_exit "echo 0 >'$inst/events/cgroup/cgroup_attach_task/enable'; rmdir '$inst'"
	ev=$inst/events/cgroup/cgroup_attach_task
	echo "dst_root == 0" >"$ev/filter"
	echo 1 >"$ev/enable"
	for name in mapped plain; do
		group=$(sed -n 's/^0:://p' "/proc/$(pid_of "$CONF" "$name")/cgroup")
		: >"$inst/trace"
		check "$name: exec true" x "$name" -- true
		moves=$(grep -F "dst_path=$group " "$inst/trace" | grep -o 'dst_path=[^ ]* pid=[0-9]* comm=[^ ]*')
		check_eq "$name: exec moved no task into the container's cgroup2 group ($group)" "" "$moves"
		: >"$inst/trace"
		sh -c 'echo $$ >"$1/cgroup.procs"' - "/sys/fs/cgroup$( [ -e /sys/fs/cgroup/cgroup.controllers ] || echo /unified)$group"
		check "$name: control: the tracer sees a shell move itself there" grep -qF "dst_path=$group " "$inst/trace"
	done
	echo 0 >"$ev/enable"
fi

check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
finish
