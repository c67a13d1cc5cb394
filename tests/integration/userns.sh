#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# userns.sh: user namespace by default (mapped ids seen from the host, idmapped rootfs), userns settings, capabilities, seccomp, masks.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project uns
ROOTFS=$(busybox_rootfs)

# The default range: root's in /etc/subuid and /etc/subgid, else the first 65536-aligned range above every
# subordinate range and every uid and gid of /etc/passwd and /etc/group (and never below 65536).
free_base() {
	{ awk -F: 'NF >= 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { print $2 + $3 }' /etc/subuid /etc/subgid 2>/dev/null
	  awk -F: '$3 ~ /^[0-9]+$/ && $3 < 4294901760 { print $3 + 1 } $4 ~ /^[0-9]+$/ && $4 < 4294901760 { print $4 + 1 }' /etc/passwd
	  awk -F: '$3 ~ /^[0-9]+$/ && $3 < 4294901760 { print $3 + 1 }' /etc/group
	  echo 65536; } | sort -n | tail -n 1 | awk '{ printf "%d\n", int(($1 + 65535) / 65536) * 65536 }'
}
BASE=$(awk -F: '$1=="root" || $1=="0" {print $2; exit}' /etc/subuid 2>/dev/null)
GBASE=$(awk -F: '$1=="root" || $1=="0" {print $2; exit}' /etc/subgid 2>/dev/null)
BASE=${BASE:-$(free_base)}
GBASE=${GBASE:-$(free_base)}
diag "the default range starts at uid $BASE, gid $GBASE"
write_conf "$CONF" 'command = [ "sleep", "600" ];' <<CONF
  { name = "default"; ip = "$NET.2"; },
  { name = "ranged"; ip = "$NET.3"; userns = { uid = 300000; gid = 310000; count = 65536; }; },
  { name = "plain"; ip = "$NET.4"; userns = false; },
  { name = "netadmin"; ip = "$NET.5"; cap_add = [ "NET_ADMIN" ]; cap_drop = [ "CAP_NET_RAW", "MKNOD" ]; },
  { name = "nocaps"; ip = "$NET.6"; cap_drop = [ "ALL" ]; seccomp = false; }
CONF

before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
field() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }
cmd_pid() { pgrep -P "$(pid_of "$CONF" "$1")" sleep; }

p=$(pid_of "$CONF" default); s=$(cmd_pid default)
check_eq "host view: the default container's pid 1 runs as uid $BASE" "$BASE" "$(field "$p" Uid)"
check_eq "host view: its pid 1 has gid $GBASE" "$GBASE" "$(field "$p" Gid)"
check_eq "host view: its command runs as uid $BASE" "$BASE" "$(field "$s" Uid)"
check_eq "inside: whoami is root" "root 0" "$(x default -- sh -c 'echo $(whoami) $(id -u)')"
check_eq "inside: the rootfs is root's (idmapped)" "0:0" "$(x default -- stat -c %u:%g /bin/busybox)"
check_eq "host: the rootfs was not chowned" "0:0" "$(stat -c %u:%g "$ROOTFS/bin/busybox")"
check_eq "inside: uid_map is 0 $BASE 65536" "0 $BASE 65536" "$(x default -- cat /proc/self/uid_map | awk '{print $1, $2, $3}')"
check_eq "ps --json says so: the host ids of each container's user namespace" \
	"default $BASE $GBASE 65536|ranged 300000 310000 65536|plain null" \
	"$("$CENGINE" ps "$CONF" --json | python3 -c 'import json, sys
u = {c["name"]: c["userns"] for c in json.load(sys.stdin)["containers"]}
print("|".join(n + " " + (" ".join(str(u[n][k]) for k in ("uid", "gid", "count")) if u[n] else "null") for n in ("default", "ranged", "plain")))')"
x default -- touch /made-inside	# its upper layer is a tmpfs of the container's own: seen from the host through /proc/PID/root
check_eq "host: a file made inside belongs to uid $BASE" "$BASE" "$(stat -c %u "/proc/$p/root/made-inside")"
check "a user namespace of its own" test "$(readlink "/proc/$p/ns/user")" != "$(readlink /proc/self/ns/user)"
check "ping works in a user namespace (CAP_NET_RAW there)" x default -- ping -c 1 -W 2 "$NET.1"

check_eq "userns = { uid = 300000; gid = 310000 }: pid 1 ids" "300000 310000" "$(field "$(pid_of "$CONF" ranged)" Uid) $(field "$(pid_of "$CONF" ranged)" Gid)"
check_eq "userns = false: pid 1 runs as host root" "0" "$(field "$(pid_of "$CONF" plain)" Uid)"
check "userns = false: the host's user namespace" test "$(readlink "/proc/$(pid_of "$CONF" plain)/ns/user")" = "$(readlink /proc/self/ns/user)"
check "userns = false: exec works" x plain -- ping -c 1 -W 2 "$NET.2"

check_eq "the command got no file descriptor above 2" "0 1 2" "$(ls "/proc/$s/fd" | sort -n | paste -sd' ')"

# capabilities: Docker's default list = 0x00000000a80425fb
for c in default plain; do
	for f in CapBnd CapPrm CapEff; do
		check_eq "$c: $f is the default set" 00000000a80425fb "$(field "$(cmd_pid $c)" $f)"
	done
	check_eq "$c: CapInh is empty" 0000000000000000 "$(field "$(cmd_pid $c)" CapInh)"
	check_eq "$c: CapAmb is empty" 0000000000000000 "$(field "$(cmd_pid $c)" CapAmb)"
	check_eq "$c: no_new_privs" 1 "$(field "$(cmd_pid $c)" NoNewPrivs)"
	check_eq "$c: seccomp filter" 2 "$(field "$(cmd_pid $c)" Seccomp)"
	check_eq "$c: an exec'd process has the same caps" 00000000a80425fb "$(x $c -- grep CapEff /proc/self/status | awk '{print $2}')"
	check_eq "$c: an exec'd process is filtered" 2 "$(x $c -- grep '^Seccomp:' /proc/self/status | awk '{print $2}')"
done
# + NET_ADMIN (bit 12), - NET_RAW (13), - MKNOD (27)
check_eq "cap_add/cap_drop adjust the set" 00000000a00415fb "$(field "$(cmd_pid netadmin)" CapBnd)"
check "with NET_ADMIN the container may change its own link" x netadmin -- ip link set eth0 mtu 1400
check "without NET_ADMIN it may not" sh -c "! '$CENGINE' exec '$CONF' default -- ip link set eth0 mtu 1400 2>/dev/null"
check "without NET_RAW ping cannot open a raw socket" sh -c "! '$CENGINE' exec '$CONF' netadmin -- ping -c 1 -W 1 $NET.1 >/dev/null 2>&1"
check_eq "cap_drop ALL: no capability at all" 0000000000000000 "$(field "$(cmd_pid nocaps)" CapBnd)"
check_eq "seccomp = false: no filter, still no_new_privs" "0 1" "$(field "$(cmd_pid nocaps)" Seccomp) $(field "$(cmd_pid nocaps)" NoNewPrivs)"
check "cap_drop ALL: chown fails" sh -c "! '$CENGINE' exec '$CONF' nocaps -- chown 1 /tmp 2>/dev/null"

# masks and read-only /proc parts
for f in /proc/keys /proc/sysrq-trigger /proc/timer_list /proc/sched_debug /proc/kcore; do
	if [ -e "$f" ]; then
		check_eq "$f reads empty inside (masked with /dev/null)" "" "$(x default -- cat "$f" 2>&1 | head -c 100)"
	else
		ok "$f is masked # SKIP this kernel has no $f"
	fi
done
check_eq "/sys/firmware is empty" "" "$(x default -- ls /sys/firmware 2>&1)"
for d in /proc/sys /proc/irq /proc/bus /proc/fs; do
	check "$d is mounted read-only" sh -c "'$CENGINE' exec '$CONF' default -- cat /proc/mounts | awk '\$2==\"$d\" {print \$4}' | grep -q '^ro'"
done
check "/proc/sys/net cannot be written" sh -c "! '$CENGINE' exec '$CONF' plain -- sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward' 2>/dev/null"
check_eq "/dev holds only the minimal nodes" "console full null ptmx random tty urandom zero" \
	"$(x default -- ls /dev | grep -v -e '^fd$' -e '^std' -e '^pts$' -e '^shm$' -e '^mqueue$' | sort | paste -sd' ')"
check "pid 1 is not dumpable: /proc/1/exe cannot be read" sh -c "! '$CENGINE' exec '$CONF' plain -- readlink /proc/1/exe"

check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"

# a file system that cannot be idmapped (sysfs): one line naming the opt-out, nothing left
sed -e "s|^defaults = .*|defaults = { rootfs = \"/sys/kernel\"; };|" -e "s/^name = .*/name = \"$PROJECT-x\";/" "$CONF" >"$WORK/noidmap.conf"
register_conf "$WORK/noidmap.conf"
out=$("$CENGINE" up "$WORK/noidmap.conf" 2>&1)
check_eq "no idmapped mount possible: up fails" "1 1" "$? $(wc -l <<<"$out")"
check "... with one line that says so and names userns = false" grep -q "cannot make an idmapped mount.*userns = false" <<<"$out"
diag "$out"
check "... and leaves no state" test ! -e "/run/cengine/$PROJECT-x"
check_eq "... and no bridge, veth, cgroup, mount or process" "" "$(snapshot "$WORK/noidmap.conf")"
finish
