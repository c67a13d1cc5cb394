#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_root_leaks.sh: what a container learns of the host (processes, mounts, links, keys, kernel addresses and log, cengine's environment and fds, cengine's state, the mounts and links of exec'd commands as they are born), from a busybox tree and from the "host" rootfs, with the user namespace and without.
. "$(dirname "$0")/escape_lib.sh"

use_probe ROOT_PROBE probe_root
setup_project rlk

ROOTFS=$WORK/rootfs
cp -a "$(busybox_rootfs)" "$ROOTFS"
cp "$PROBE" "$ROOTFS/bin/probe-root"
# a secret in the environment of `up` and `exec`: the container gets only what the file sets
SECRET=cengine-secret-$$-$RANDOM
export CENGINE_TEST_SECRET=$SECRET
SLEEP='command = [ "sleep", "100000" ];'
write_conf "$CONF" "$SLEEP env = [ \"FROM_FILE=yes\" ];" <<CONF
  { name = "bb-u"; ip = "$NET.2"; },
  { name = "bb-r"; ip = "$NET.3"; userns = false; },
  { name = "host-u"; ip = "$NET.4"; rootfs = "host"; },
  { name = "host-r"; ip = "$NET.5"; rootfs = "host"; userns = false; },
  { name = "ptrace-r"; ip = "$NET.6"; userns = false; cap_add = [ "SYS_PTRACE" ]; }
CONF
COLUMNS="bb-u bb-r host-u host-r"

# attempt, then the expected result in a busybox tree (user namespace on, off) and the host's rootfs (on, off)
EXPECT="
host_process    ENOENT   ENOENT   ENOENT   ENOENT   /proc/<pid of this test's shell>
processes       own      own      own      own      every process in /proc is the container's (init, sleep, the probe)
mounts          own      own      own      own      every mount is one cengine made (overlay, proc, sysfs, tmpfs, devpts, mqueue, single device nodes)
links           lo,eth0  lo,eth0  lo,eth0  lo,eth0  network interfaces
keyring         EPERM    EPERM    EPERM    EPERM    keyctl(KEYCTL_GET_KEYRING_ID)
proc_keys       masked   masked   masked   masked   /proc/keys
proc_key_users  masked   masked   masked   masked   /proc/key-users (the host's users with keys)
kallsyms        masked   masked   masked   masked   /proc/kallsyms (kernel addresses)
dmesg           EPERM    EPERM    EPERM    EPERM    syslog(SYSLOG_ACTION_READ_ALL)
environ         absent   absent   absent   absent   the secret in the environment of up and exec, in any /proc/*/environ
init_environ    EACCES   EACCES   EACCES   EACCES   /proc/1/environ (pid 1 is a fork of up)
exec_fds        none     none     none     none     file descriptors above 2 that exec hands over
command_fds     none     none     none     none     file descriptors above 2 of the command
init_fds        EACCES   EACCES   EACCES   EACCES   what pid 1's fds above 2 are (it holds the host's exit file)
run_cengine     ENOENT   ENOENT   ENOENT   ENOENT   /run/cengine (every project's journal)
var_lib_cengine ENOENT   ENOENT   ENOENT   ENOENT   /var/lib/cengine (the rootfs cache)
"

before=$(snapshot "$CONF")
check "up returns 0 (with the secret in its environment)" "$CENGINE" up "$CONF"
# the host rootfs has no probe: it comes in on stdin to the container's own /tmp
for c in host-u host-r; do
	check "$c: the probe is copied in" "$CENGINE" exec "$CONF" "$c" -- sh -c 'cat >/tmp/probe-root && chmod 755 /tmp/probe-root' <"$PROBE"
done
for c in $COLUMNS ptrace-r; do
	p=probe-root
	[[ $c != host-* ]] || p=/tmp/probe-root
	"$CENGINE" exec "$CONF" "$c" -- "$p" leaks $$ "$SECRET" init,sleep,probe-root >"$WORK/$c.out" 2>&1
done
check "the host process the probes look for is alive" kill -0 $$
check_eq "the secret is in the environment of up and exec (so its absence inside means something)" \
	"$SECRET" "$(sh -c 'echo "$CENGINE_TEST_SECRET"')"
check_eq "the file's own variable reaches the container" "yes" "$(x bb-u -- sh -c 'echo $FROM_FILE')"

diag "$(printf '%-16s %-9s %-9s %-9s %-9s %s' attempt $COLUMNS what)"
while read -r name want1 want2 want3 want4 what; do
	[ -n "$name" ] || continue
	wants=("$want1" "$want2" "$want3" "$want4")
	line=$(printf '%-16s' "$name")
	i=0
	for c in $COLUMNS; do
		got=$(awk -v n="$name" '$1 == n {print $2}' "$WORK/$c.out")
		line+=$(printf ' %-9s' "${got:-?}")
		check_eq "$c: $name: ${wants[i]}" "${wants[i]}" "$got"
		i=$((i + 1))
	done
	diag "$line $what"
done <<<"$EXPECT"

# with SYS_PTRACE granted and no user namespace, pid 1's memory is readable: it holds nothing of up's environment
got=$(awk '$1 == "init_environ" {print $2}' "$WORK/ptrace-r.out")
diag "ptrace-r (cap_add SYS_PTRACE, userns = false): init_environ $got"
check_eq "ptrace-r: /proc/1/environ holds no secret of up's environment" "absent" "$got"
check "no probe saw an escape" sh -c "! grep ESCAPED $(printf "'$WORK/%s.out' " $COLUMNS)"

# exec's window: while commands are exec'd, a process of the container reads the mount table and links of each
# one through /proc/PID from its birth on (no ptrace check guards those files): they must be the container's
# from the start, never the host's (exec joins the container's namespaces before it clones the command).
for c in bb-u bb-r; do
	"$CENGINE" exec "$CONF" "$c" -- probe-root exec_window /tmp/window.ready /tmp/window.stop >"$WORK/$c.win" 2>&1 &
	watcher=$!
	wait_for 10 x "$c" -- test -e /tmp/window.ready
	for _ in $(seq 50); do x "$c" -- true; done
	x "$c" -- touch /tmp/window.stop
	wait "$watcher"
	win() { awk -v n="$1" '$1 == n {print $2}' "$WORK/$c.win"; }
	diag "$c: exec's window: $(paste -sd' ' "$WORK/$c.win")"
	check "$c: exec's window: the watcher saw the exec'd commands ($(win exec_seen) processes)" test "$(win exec_seen)" -ge 25
	check_eq "$c: exec's window: every exec'd command's mount table is the container's" own "$(win exec_mounts)"
	check_eq "$c: exec's window: every exec'd command's links are the container's" lo,eth0 "$(win exec_links)"
done

check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
finish
