#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fixture_mounts.sh: binds, tmpfs, files, devices, sysctls, user, workdir and shm_size seen from inside the container and from the host, with the user namespace and without.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project fxm
ROOTFS=$(busybox_rootfs)
V2=false
[ -e /sys/fs/cgroup/cgroup.controllers ] && V2=true
# bind sources on a disk file system (the QEMU guest's /tmp is a tmpfs, which its kernel cannot idmap)
SRC=$TEST_CACHE/fixture-mounts.$$
at_exit "umount '$SRC/src/sub' 2>/dev/null; rm -rf '$SRC'"
mkdir -p "$SRC/src/sub" "$SRC/subsrc" "$SRC/out" "$SRC/own"
echo 'echo from-the-bound-script' >"$SRC/src/run.sh"
# a submount beneath the bound directory, which ro must reach too (a bind of the same disk: the guest's
# older kernel cannot idmap a tmpfs)
echo in-a-submount >"$SRC/subsrc/f" && mount --bind "$SRC/subsrc" "$SRC/src/sub" || bail "cannot mount beneath $SRC/src"
printf 'seed=1\n' >"$SRC/seed.conf"
chmod 0755 "$SRC/out"
PASSWD='root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n'
GROUP='root:x:0:\napp:x:1000:\nextra:x:2000:nobody,app\n'

# /dev/net/tun where the host has it (the QEMU guest's kernel has no tun module)
TUN=false
[ -c /dev/net/tun ] && TUN=true
host_forward=$(cat /proc/sys/net/ipv4/ip_forward)
host_shmmax=$(cat /proc/sys/kernel/shmmax)
write_conf "$CONF" "command = [ \"sleep\", \"600\" ]; memory = \"128M\";
  binds = [ \"$SRC/src:/src:ro\", \"$SRC/out:/out\", \"$SRC/seed.conf:/etc/seed.conf:ro\" ];
  tmpfs = [ \"/scratch:size=8M,mode=0700\", \"/t/deep\" ];
  files = ( { path = \"/etc/app.conf\"; content = \"port = 8080\\n\"; mode = \"0600\"; },
            { path = \"/etc/passwd\"; content = \"$PASSWD\"; }, { path = \"/etc/group\"; content = \"$GROUP\"; },
            { path = \"/opt/new/dir/f\"; source = \"$SRC/seed.conf\"; } );
  $($TUN && echo "devices = [ \"/dev/net/tun\" ];")
  sysctls = [ \"net.ipv4.ip_forward=1\", \"net.ipv4.conf.all.accept_redirects=0\", \"kernel.shmmax=12345678\" ];
  workdir = \"/w/deep\"; shm_size = \"16M\";" <<CONF
  { name = "u"; ip = "$NET.2"; },
  { name = "p"; ip = "$NET.3"; userns = false; },
  { name = "au"; ip = "$NET.4"; user = "app"; },
  { name = "ap"; ip = "$NET.5"; user = "app:extra"; userns = false; },
  { name = "num"; ip = "$NET.6"; user = "1234:4321"; workdir = "/"; }
CONF

check "check shows every key" sh -c "'$CENGINE' check '$CONF' | grep -q 'bind $SRC/src at /src (ro)' &&
	'$CENGINE' check '$CONF' | grep -q 'tmpfs /scratch size 8388608 mode 0700' &&
	{ ! $TUN || '$CENGINE' check '$CONF' | grep -q 'device /dev/net/tun (c 10:200)'; } &&
	'$CENGINE' check '$CONF' | grep -q 'user app (from the container' &&
	'$CENGINE' check '$CONF' | grep -q 'workdir /w/deep' && '$CENGINE' check '$CONF' | grep -q 'shm_size 16777216'"
before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF" || { finish; }
# cmd_pid NAME: the command's pid, pid 1's first child (no pgrep in the QEMU guest)
cmd_pid() { local p; p=$(pid_of "$CONF" "$1"); awk '{print $1}' "/proc/$p/task/$p/children"; }
cgfile() { if $V2; then echo "/sys/fs/cgroup/cengine/$PROJECT/$1/memory.current"; else echo "/sys/fs/cgroup/memory/cengine/$PROJECT/$1/memory.usage_in_bytes"; fi; }

for c in u p; do
	ns=$([ $c = u ] && echo "with userns" || echo "without userns")
	# --- binds
	check_eq "$c ($ns): the bound script runs" from-the-bound-script "$(x $c -- sh /src/run.sh)"
	check "$c: /src is read-only" sh -c "! '$CENGINE' exec '$CONF' $c -- touch /src/new 2>/dev/null"
	check_eq "$c: the submount of /src is there" in-a-submount "$(x $c -- cat /src/sub/f)"
	check "$c: ... and read-only too (recursive)" sh -c "! '$CENGINE' exec '$CONF' $c -- touch /src/sub/new 2>/dev/null"
	check "$c: remounting /src read-write is refused" sh -c "! '$CENGINE' exec '$CONF' $c -- mount -o remount,rw /src 2>/dev/null"
	check_eq "$c: a file bind" seed=1 "$(x $c -- cat /etc/seed.conf)"
	x $c -- sh -c "echo result-$c > /out/res-$c"
	check_eq "host: what $c wrote through the rw bind is there" "result-$c" "$(cat "$SRC/out/res-$c")"
	check_eq "host: ... owned by root, who ran cengine (no SUDO_UID)" "0:0" "$(stat -c %u:%g "$SRC/out/res-$c")"
	check_eq "$c: the host's root-owned files are its root's" "0:0" "$(x $c -- stat -c %u:%g /src/run.sh)"
	check "host: nothing was created in the bound directory" test ! -e "$SRC/src/new"
	# --- tmpfs, charged to the container's memory
	check "$c: /scratch is a tmpfs of 8M, mode 0700" sh -c "'$CENGINE' exec '$CONF' $c -- grep ' /scratch tmpfs ' /proc/mounts | grep -q 'size=8192k,mode=700'"
	check "$c: /t/deep is a tmpfs (made in the writable layer)" sh -c "'$CENGINE' exec '$CONF' $c -- grep -q ' /t/deep tmpfs ' /proc/mounts"
	m0=$(cat "$(cgfile $c)")
	x $c -- dd if=/dev/zero of=/scratch/fill bs=1M count=6 2>/dev/null
	m1=$(cat "$(cgfile $c)")
	diag "$c: memory $(basename "$(cgfile $c)") $m0 -> $m1 after 6 MiB into /scratch"
	check "$c: 6 MiB in /scratch are charged to its memory cgroup" test $((m1 - m0)) -ge $((5 * 1024 * 1024))
	check "$c: /scratch holds at most 8M" sh -c "! '$CENGINE' exec '$CONF' $c -- dd if=/dev/zero of=/scratch/more bs=1M count=4 2>/dev/null"
	# --- files
	check_eq "$c: /etc/app.conf has its content" "port = 8080" "$(x $c -- cat /etc/app.conf)"
	check_eq "$c: ... and mode 0600" "600 0:0" "$(x $c -- stat -c '%a %u:%g' /etc/app.conf)"
	check_eq "$c: a source file, its directories made" seed=1 "$(x $c -- cat /opt/new/dir/f)"
	# --- devices
	if ! $TUN; then
		skip "$c: devices" "this host has no /dev/net/tun"
	else
		check_eq "$c: /dev/net/tun is the tun device (10:200, hex a:c8)" "character special file a:c8" "$(x $c -- stat -c '%F %t:%T' /dev/net/tun)"
		check "$c: it opens (tun answers a read without TUNSETIFF: EBADFD)" sh -c "'$CENGINE' exec '$CONF' $c -- cat /dev/net/tun 2>&1 | grep -q 'bad state'"
		check_eq "$c: owned by its root, the host's mode" "$(stat -c %a /dev/net/tun) 0:0" "$(x $c -- stat -c '%a %u:%g' /dev/net/tun)"
	fi
	# --- sysctls
	check_eq "$c: net.ipv4.ip_forward=1 in its netns" 1 "$(x $c -- cat /proc/sys/net/ipv4/ip_forward)"
	check_eq "$c: net.ipv4.conf.all.accept_redirects=0" 0 "$(x $c -- cat /proc/sys/net/ipv4/conf/all/accept_redirects)"
	check_eq "$c: kernel.shmmax in its IPC namespace" 12345678 "$(x $c -- cat /proc/sys/kernel/shmmax)"
	# --- workdir, shm_size
	check_eq "$c: the command runs in /w/deep (made)" /w/deep "$(readlink "/proc/$(cmd_pid $c)/cwd")"
	check "$c: /dev/shm is 16M" sh -c "'$CENGINE' exec '$CONF' $c -- grep ' /dev/shm ' /proc/mounts | grep -q size=16384k"
done
check_eq "host: ip_forward unchanged" "$host_forward" "$(cat /proc/sys/net/ipv4/ip_forward)"
check_eq "host: kernel.shmmax unchanged" "$host_shmmax" "$(cat /proc/sys/kernel/shmmax)"
check "host: the rootfs has no /etc/app.conf (files go to the writable layer)" test ! -e "$ROOTFS/etc/app.conf"
check "host: the rootfs's /etc/passwd is unchanged" sh -c "test \"\$(cat '$ROOTFS/etc/passwd')\" = 'root:x:0:0:root:/root:/bin/sh'"

# --- user, from the container's own /etc/passwd and /etc/group
BASE=$(awk '{print $2}' "/proc/$(pid_of "$CONF" u)/uid_map")
status_ids() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
check_eq "au: host view: the command runs as app, uid $BASE+1000, gid +1000, groups +1000 +2000" \
	"$((BASE + 1000)) $((BASE + 1000)) $((BASE + 1000)) $((BASE + 2000))" \
	"$(status_ids "$(cmd_pid au)" Uid) $(status_ids "$(cmd_pid au)" Gid) $(awk '$1 == "Groups:" {print $2, $3}' "/proc/$(cmd_pid au)/status")"
check_eq "au: HOME from its /etc/passwd" /home/app "$(tr '\0' '\n' <"/proc/$(cmd_pid au)/environ" | sed -n 's/^HOME=//p')"
check_eq "ap (no userns): host view: uid 1000, gid 2000 (app:extra)" "1000 2000" "$(status_ids "$(cmd_pid ap)" Uid) $(status_ids "$(cmd_pid ap)" Gid)"
check_eq "num: numeric ids without a passwd line" "$((BASE + 1234)) $((BASE + 4321))" \
	"$(status_ids "$(cmd_pid num)" Uid) $(status_ids "$(cmd_pid num)" Gid)"
check_eq "num: workdir = / overrides defaults'" / "$(readlink "/proc/$(cmd_pid num)/cwd")"
check_eq "pid 1 stays root" "$BASE" "$(status_ids "$(pid_of "$CONF" au)" Uid)"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing" "$before" "$(snapshot "$CONF")"
check "the submount of the bound directory is still the host's (nothing unmounted there)" grep -q " $SRC/src/sub " /proc/mounts

# --- the invoking user: under sudo (SUDO_UID) the container's root stands for that user in a bind
CONF2=$WORK/owner.conf
chown 4321:4321 "$SRC/own" && echo mine >"$SRC/own/by-user" && chown 4321:4321 "$SRC/own/by-user" && echo by-root >"$SRC/own/by-root"
PROJECT=$PROJECT-o write_conf "$CONF2" "command = [ \"sleep\", \"600\" ]; binds = [ \"$SRC/own:/own\" ];" <<CONF
  { name = "u"; ip = "$NET.12"; },
  { name = "p"; ip = "$NET.13"; userns = false; }
CONF
check "up under SUDO_UID=4321" env SUDO_UID=4321 SUDO_GID=4321 "$CENGINE" up "$CONF2"
check_eq "userns: the user's files are the container root's" "0:0" "$("$CENGINE" exec "$CONF2" u -- stat -c %u:%g /own/by-user)"
check_eq "userns: root's files are no one's (65534)" "65534:65534" "$("$CENGINE" exec "$CONF2" u -- stat -c %u:%g /own/by-root)"
"$CENGINE" exec "$CONF2" u -- sh -c 'echo x > /own/written'
check_eq "userns: what its root writes is the user's on the host" "4321:4321" "$(stat -c %u:%g "$SRC/own/written")"
"$CENGINE" exec "$CONF2" p -- sh -c 'echo x > /own/written-p'
check_eq "no userns: what root writes is root's (a plain bind)" "0:0" "$(stat -c %u:%g "$SRC/own/written-p")"
check "down" "$CENGINE" down "$CONF2"

# --- failures at up: one line, nothing left
CONF3=$WORK/bad.conf
for bad in 'user = "nosuch";|no such user in the container' 'sysctls = [ "net.core.rmem_max=1" ];|rmem_max: (not writable in the container|the container.s namespaces have no such)' \
	'sysctls = [ "net.ipv4.no_such_knob=1" ];|have no such sysctl'; do
	PROJECT=$PROJECT-b write_conf "$CONF3" "" <<CONF
  { name = "b"; ip = "$NET.20"; command = [ "sleep", "600" ]; ${bad%%|*} }
CONF
	before=$(snapshot "$CONF3")
	err=$("$CENGINE" up "$CONF3" 2>&1 >/dev/null)
	check "up with ${bad%%|*} fails: $err" grep -Eq "${bad#*|}" <<<"$err"
	check_eq "... in one line" 1 "$(wc -l <<<"$err")"
	check_eq "... and leaves nothing" "$before" "$(snapshot "$CONF3")"
done
finish
