#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_dev.sh: the escape suite's device and cgroup-hierarchy class: device nodes beyond the allow-list, the release_agent (CVE-2022-0492), groups outside cengine's; each must fail, and how.
. "$(dirname "$0")/escape_lib.sh"

use_probe DEV_PROBE probe_dev
setup_project escdev

# the busybox tree plus the static probe, beside the cached tree (the same file system: a QEMU guest
# can make an idmapped mount of it, not of its tmpfs /tmp)
ROOTFS=$(mktemp -d "$TEST_CACHE/escdev.XXXXXX") || bail "no directory under $TEST_CACHE"
at_exit "rm -rf '$ROOTFS'"
cp -a "$(busybox_rootfs)/." "$ROOTFS/"
cp "$PROBE" "$ROOTFS/bin/probe_dev"
write_conf "$CONF" 'pids = 64;' <<CONF
  { name = "userns"; ip = "$NET.2"; },
  { name = "nouserns"; ip = "$NET.3"; userns = false; },
  { name = "userns-admin"; ip = "$NET.4"; cap_add = [ "SYS_ADMIN" ]; },
  { name = "nouserns-admin"; ip = "$NET.5"; userns = false; cap_add = [ "SYS_ADMIN" ]; }
CONF

V=v1
[ "$(stat -f -c %T "${CENGINE_CGROUP_ROOT:-/sys/fs/cgroup}")" != cgroup2fs ] || V=v2
[ -z "${CENGINE_CGROUP:-}" ] || V=$CENGINE_CGROUP

# attempt, the capabilities it needs ("-": the default set; SYS_ADMIN: the two -admin containers), then
# how it must fail with a user namespace and without (userns = false). A,B: each of A and B (in any
# order: one per hierarchy or step tried); A/B: A on cgroup v1 and hybrid hosts, B on cgroup v2.
EXPECT="
mknod_kmsg     -         mknod:EPERM   mknod:EPERM   mknod c 1:11 /dev/kmsg, write a line into the host's kernel log, read it
mknod_kvm      -         mknod:EPERM   mknod:EPERM   mknod c 10:232 /dev/kvm and open it
mknod_tty      -         mknod:EPERM   mknod:EPERM   mknod c 4:1 /dev/tty1 (a host console) and open it
mknod_disk     -         mknod:EPERM   mknod:EPERM   mknod the first disk of /proc/partitions (else b 8:0) in /dev and read it
nodev_dev      -         mknod:EPERM   open:EACCES   mknod c 1:3 (allowed) in /dev and open it: /dev is nodev
open_allowed   -         ok            ok            use /dev/null, zero, full, random, urandom, ptmx and a new pts: must work
cgroup_self    -         own           own           /proc/self/cgroup: at its cgroup namespace root in every hierarchy
cgroup_fs      -         ENOENT        ENOENT        open release_agent, notify_on_release under /sys/fs/cgroup for writing
tmpfs_mknod    SYS_ADMIN mknod:EPERM   mknod:EPERM   mount a tmpfs without nodev, mknod c 1:11 in it, write and read it
tmpfs_allowed  SYS_ADMIN mknod:EPERM   ok            mount a tmpfs without nodev, mknod c 1:3 in it and open it: allowed
release_agent  SYS_ADMIN ENOENT,mount:EPERM/mount:EPERM ENOENT,mount:EPERM/mount:EPERM mount each v1 hierarchy, write release_agent at its root, trigger
agent_option   SYS_ADMIN mount:EINVAL,remount:EINVAL/mount:EINVAL ignored,mount:EPERM,remount:EBUSY/mount:EPERM mount -o release_agent=, remount -o release_agent=, trigger
"

# The host's release agents, put back at exit should an attempt have changed one.
AGENTS=$WORK/release-agents
for f in "${CENGINE_CGROUP_ROOT:-/sys/fs/cgroup}"/*/release_agent; do
	[ ! -e "$f" ] || printf '%s\t%s\n' "$f" "$(cat "$f")"
done >"$AGENTS"
restore_agents() {
	local f v
	while IFS=$'\t' read -r f v; do [ "$(cat "$f")" = "$v" ] || echo "${v:-}" >"$f"; done <"$AGENTS"
	find "${CENGINE_CGROUP_ROOT:-/sys/fs/cgroup}" -maxdepth 2 -type d -name cengine-escape -exec rmdir {} \; 2>/dev/null
}
at_exit restore_agents
MARK=$WORK/agent-ran
KMSG=cengine-escape-dev-$$-$RANDOM

before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
x nouserns -- sh -c 'sleep 300 </dev/null >/dev/null 2>&1 &'	# a process started by exec, for the host's view
for c in userns nouserns userns-admin nouserns-admin; do
	x "$c" -- probe_dev all "$(pid_of "$CONF" "$c")" "$MARK" "$KMSG" >"$WORK/$c.out" 2>&1
done

# sorted A,B lists; the v1 or v2 side of A/B
norm() { tr , '\n' <<<"$1" | sort | paste -sd, -; }
side() { if [[ $1 != */* ]]; then echo "$1"; elif [ "$V" = v2 ]; then echo "${1#*/}"; else echo "${1%%/*}"; fi; }
got() { awk -v n="$1" '$1 == n { print $2 }' "$WORK/$2.out"; }

diag "$(printf '%-14s %-9s %-28s %-28s %s' attempt caps userns userns=false what)"
while read -r name caps want_u want_r what; do
	[ -n "$name" ] || continue
	suffix=
	[ "$caps" = - ] || suffix=-admin
	got_u=$(got "$name" "userns$suffix")
	got_r=$(got "$name" "nouserns$suffix")
	diag "$(printf '%-14s %-9s %-28s %-28s %s' "$name" "$caps" "$got_u" "$got_r" "$what")"
	check_eq "userns$suffix: $name fails with $(side "$want_u")" "$(norm "$(side "$want_u")")" "$(norm "$got_u")"
	check_eq "nouserns$suffix: $name fails with $(side "$want_r")" "$(norm "$(side "$want_r")")" "$(norm "$got_r")"
done <<<"$EXPECT"
check "the probes saw no escape" sh -c "! grep -q ESCAPED $WORK/*.out"
diag "$(grep -h '^#' "$WORK/nouserns-admin.out" | sed 's/^# //')"

# --- what the host sees
check "the host's kernel log holds no line written from a container" sh -c "! dmesg | grep -qF '$KMSG'"
# the kernel starts a release agent from a work queue: give it 2 s to show up
if wait_for 2 test -e "$MARK"; then not_ok "no release agent ran on the host"; diag "$(cat "$MARK")"
else ok "no release agent ran on the host (no $MARK within 2 s)"; fi
agents_as_before() {
	local f v
	while IFS=$'\t' read -r f v; do [ "$(cat "$f")" = "$v" ] || { echo "$f: $(cat "$f")"; return 1; }; done <"$AGENTS"
}
check "the host's release agents are as before" agents_as_before

# every process of a container (its init, what exec started) in the container's group in every hierarchy that
# holds a controller it uses (and the unified tree), in its project's group in the others (cpuset, blkio, named
# ones, without a limit there): never a hierarchy's root, nor another group
in_own_groups() {
	local name=$1 pid n=0 lines=0 bad=0
	for pid in $(grep -lE ":/cengine/$PROJECT/$name\$" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3); do
		n=$((n + 1))
		lines=$(wc -l <"/proc/$pid/cgroup")
		bad=$((bad + $(awk -F: -v own="/cengine/$PROJECT/$name" -v proj="/cengine/$PROJECT" '
			$3 == own { next }
			$3 == proj && $2 != "" && $2 !~ /(^|,)(cpu|cpuacct|memory|pids|freezer|devices)(,|$)/ { next }
			{ bad++ } END { print bad + 0 }' "/proc/$pid/cgroup")))
	done
	echo "$n processes, $lines hierarchies, $bad lines elsewhere"
}
hier=$(wc -l </proc/self/cgroup)
check_eq "host: nouserns's 2 processes are in its group (or, without its controllers, the project's) in all $hier hierarchies" \
	"2 processes, $hier hierarchies, 0 lines elsewhere" "$(in_own_groups nouserns)"
check_eq "host: userns's process is in its group (or, without its controllers, the project's) in all $hier hierarchies" \
	"1 processes, $hier hierarchies, 0 lines elsewhere" "$(in_own_groups userns)"
devices=$(awk '$3 == "cgroup" && $4 ~ /(^|,)devices(,|$)/ { print $2 }' /proc/mounts | head -n 1)
if [ -n "$devices" ] && [ "$V" = v1 ]; then
	check_eq "host (v1): the devices cgroup allows only the allow-list" \
		"c 1:3 rwm,c 1:5 rwm,c 1:7 rwm,c 1:8 rwm,c 1:9 rwm,c 5:0 rwm,c 5:2 rwm,c 136:* rwm" \
		"$(paste -sd, "$devices/cengine/$PROJECT/nouserns/devices.list")"
fi

check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
check_eq "no cengine-escape group is left in any hierarchy" "" \
	"$(find "${CENGINE_CGROUP_ROOT:-/sys/fs/cgroup}" -maxdepth 4 -type d -name cengine-escape)"
finish
