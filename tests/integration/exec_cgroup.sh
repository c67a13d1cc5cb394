#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# exec_cgroup.sh: an exec'd command is in exactly its container's groups in every hierarchy, sees its own as "/",
# and is born in the cgroup2 group (clone3 CLONE_INTO_CGROUP: no move through cgroup.procs, the kernel's tracer says).
# Runs here (hybrid; and v1 without a unified tree, imitated) and in the busybox and systemd QEMU guests (pure cgroup2).
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

# A cgroup v1 host without a unified tree, imitated: this host's v1 hierarchies mounted again on a tmpfs in a
# mount namespace of our own, as CENGINE_CGROUP_ROOT. No group to clone into: exec joins every hierarchy through
# its `tasks` and the command inherits them all. The project goes up, is exec'd into and goes down in there.
v1_only() {	# DIR
	local mp opts o relay cmd
	mount -t tmpfs none "$1" || return 1
	while read -r mp opts; do
		o=$(tr , '\n' <<<"$opts" | grep -vxE 'rw|ro|relatime|noatime|nosuid|nodev|noexec' | paste -sd,)
		case $o in name=*) o=none,$o ;; esac
		mkdir "$1/${mp##*/}" && mount -t cgroup -o "$o" cgroup "$1/${mp##*/}" || return 1
	done < <(awk '$3 == "cgroup" { print $2, $4 }' /proc/self/mounts)
	export CENGINE_CGROUP=v1 CENGINE_CGROUP_ROOT=$1
	"$CENGINE" doctor 2>&1 | grep -E '^[A-Z]+ +cgroup ' >"$WORK/v1.layout"
	"$CENGINE" up "$CONF" >"$WORK/v1.up" 2>&1 || return 1
	"$CENGINE" exec "$CONF" plain -- cat /proc/self/cgroup >"$WORK/v1.inside" 2>&1
	"$CENGINE" exec "$CONF" plain -- sleep 300 &
	relay=$!
	wait_for 10 child_sleep "$relay"
	cmd=$(child_sleep "$relay")
	grep -v '^0::' "/proc/${cmd:-0}/cgroup" >"$WORK/v1.cmd" 2>&1
	grep -v '^0::' "/proc/$(pid_of "$CONF" plain)/cgroup" >"$WORK/v1.init"
	kill -TERM "$relay"
	wait "$relay"
	"$CENGINE" down "$CONF" >"$WORK/v1.down" 2>&1
}
if grep -q ' cgroup ' /proc/self/mounts; then
	mkdir "$WORK/v1"
	check "v1 without a unified tree: up, exec and down in a mount namespace of our own" unshare -m --propagation private \
		bash -c "$(declare -f v1_only child_sleep wait_for now_ms pid_of); CENGINE='$CENGINE' CONF='$CONF' WORK='$WORK' v1_only '$WORK/v1'"
	diag "$(cat "$WORK/v1.layout" "$WORK/v1.up" "$WORK/v1.down" 2>/dev/null)"
	check "... doctor there says cgroup v1" grep -q "cgroup v1" "$WORK/v1.layout"
	check "... inside, every hierarchy is the namespace root ($(paste -sd' ' "$WORK/v1.inside"))" \
		sh -c '[ -s "$1" ] && ! grep -qv "^[0-9]*:[^:]*:/$" "$1"' - "$WORK/v1.inside"
	check "... the exec'd command's v1 groups are its pid 1's ($(grep -c . "$WORK/v1.init") hierarchies)" \
		sh -c '[ -s "$1" ] && cmp -s "$1" "$2"' - "$WORK/v1.init" "$WORK/v1.cmd"
	check_eq "... down leaves the host as before up" "$before" "$(snapshot "$CONF")"
else
	skip "exec on cgroup v1 without a unified tree" "no cgroup v1 hierarchy on this host"
fi
finish
