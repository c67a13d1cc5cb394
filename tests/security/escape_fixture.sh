#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_fixture.sh: hostile root trees against the fixture keys (a symlink at a bind, tmpfs, file or workdir path, "..", /proc, a hostile /etc/passwd), with the user namespace and without.
. "$(dirname "$0")/escape_lib.sh"

setup_project efx
HOST=$WORK/host-target			# what a link in the tree points at: must stay empty and unmounted
# the trees and the bind source on a disk file system (the QEMU guest's /tmp is a tmpfs it cannot idmap)
DISK=$TEST_CACHE/escape-fixture.$$
at_exit "rm -rf '$DISK'"
mkdir -p "$HOST" "$DISK/src"
echo secret >"$WORK/host-file"
echo bound >"$DISK/src/f"
TREE=$DISK/tree
cp -a "$(busybox_rootfs)" "$TREE"
ln -s "$HOST" "$TREE/abs-link"		# absolute: out of the tree if followed from the host
ln -s ../../../../../../../.."$HOST" "$TREE/up-link"
ln -s "$HOST" "$TREE/etc/dir-link"
ln -s "$WORK/host-file" "$TREE/etc/file-link"

# case: the settings, then the expected result: refused:TEXT (up fails with one line holding TEXT) or up
CASES="
bind_abs_link      refused:/abs-link       binds = [ \"$DISK/src:/abs-link\" ];
bind_up_link       refused:/up-link        binds = [ \"$DISK/src:/up-link/x\" ];
bind_file_link     refused:/etc/file-link  binds = [ \"$DISK/src/f:/etc/file-link\" ];
tmpfs_link         refused:/abs-link       tmpfs = [ \"/abs-link\" ];
tmpfs_below_link   refused:/etc/dir-link   tmpfs = [ \"/etc/dir-link/t\" ];
file_through_link  refused:/etc/dir-link   files = ( { path = \"/etc/dir-link/planted\"; content = \"x\"; } );
file_is_link       up                      files = ( { path = \"/etc/file-link\"; content = \"replaced\"; } );
workdir_link       refused:/abs-link       workdir = \"/abs-link/w\";
passwd_link        refused:/etc/passwd     user = \"app\"; files = ( { path = \"/x\"; content = \"\"; } ); rootfs = \"$TREE/evil-passwd\";
passwd_fifo        refused:/etc/passwd     user = \"app\"; rootfs = \"$TREE/fifo-passwd\";
passwd_zero        refused:/etc/passwd     user = \"app\"; rootfs = \"$TREE/zero-passwd\";
passwd_huge        refused:/etc/passwd     user = \"app\"; rootfs = \"$TREE/huge-passwd\";
passwd_bad_ids     refused:/etc/passwd     user = \"app\"; rootfs = \"$TREE/ids-passwd\";
"
# the odd trees, copies of TREE: /etc/passwd a symlink to the host's shadow file, a FIFO (a read would
# hang), the node of /dev/zero (never opened: the overlay is nodev), 1 MiB and a byte, or lines whose ids are
# negative, past (uid_t)-1 or missing, and the one good line after a NUL (cut there): no user app in any
for odd in evil fifo zero huge ids; do
	mkdir "$DISK/$odd-passwd" && cp -a "$TREE/." "$DISK/$odd-passwd/" && rm "$DISK/$odd-passwd/etc/passwd"
done
for odd in evil fifo zero huge ids; do mv "$DISK/$odd-passwd" "$TREE/"; done
ln -s /etc/shadow "$TREE/evil-passwd/etc/passwd"
mkfifo "$TREE/fifo-passwd/etc/passwd"
mknod "$TREE/zero-passwd/etc/passwd" c 1 5
{ echo 'app:x:1000:1000::/:/bin/sh'; head -c 1048576 /dev/zero | tr '\0' x; } >"$TREE/huge-passwd/etc/passwd"
printf 'app:x:-1:-1::/:/bin/sh\napp:x:4294967295:0::/:/bin/sh\napp:x:99999999999:0::/:/bin/sh\napp:x:1000\n+app::::::\n\0app:x:1000:1000::/:/bin/sh\n' \
	>"$TREE/ids-passwd/etc/passwd"

host_state() { ls -A "$HOST"; cat "$WORK/host-file"; grep -F -- "$HOST" /proc/mounts; grep -F -- "$WORK/host-file" /proc/mounts; }
host_before=$(host_state)
core_pattern=$(cat /proc/sys/kernel/core_pattern)
host_sysctls() { cat /proc/sys/net/core/rmem_max /proc/sys/net/ipv4/tcp_mem; cat /proc/sys/net/netfilter/nf_hooks_lwtunnel 2>/dev/null; }
sysctls_before=$(host_sysctls)
n=0
while read -r name expect settings; do
	[ -n "$name" ] || continue
	for userns in true false; do
		n=$((n + 1))
		c=$WORK/c$n.conf
		PROJECT=$PROJECT-$n ROOTFS=$TREE write_conf "$c" "command = [ \"sleep\", \"600\" ]; userns = $userns;" <<CONF
  { name = "a"; ip = "$NET.2"; $settings }
CONF
		before=$(snapshot "$c")
		err=$(timeout 20 "$CENGINE" up "$c" 2>&1 >/dev/null </dev/null)
		rc=$?
		if [ "${expect%%:*}" = refused ]; then
			check "$name (userns $userns): up refuses, naming ${expect#refused:}: $err" \
				bash -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -qF -- '${expect#refused:}' <<<\"\$1\" && [ \$(printf '%s\n' \"\$1\" | wc -l) = 1 ]" _ "$err"
		else
			check "$name (userns $userns): up succeeds ($err)" test "$rc" = 0
			check_eq "$name (userns $userns): the link was replaced inside, not followed" replaced \
				"$("$CENGINE" exec "$c" a -- cat /etc/file-link </dev/null)"
		fi
		"$CENGINE" down "$c" --timeout 1 >/dev/null 2>&1 </dev/null
		check_eq "$name (userns $userns): the host target is untouched" "$host_before" "$(host_state)"
		check_eq "$name (userns $userns): nothing of the project is left" "$before" "$(snapshot "$c")"
	done
done <<<"$CASES"

# refused by check already (exit 2, nothing created): ".." and kernel paths
for s in 'binds = [ "'"$DISK"'/src:/x/../../etc" ];' 'binds = [ "'"$DISK"'/src:/proc" ];' 'binds = [ "'"$DISK"'/src:/sys/fs/cgroup" ];' \
	'binds = [ "'"$DISK"'/src:/etc" ];' 'binds = [ "'"$DISK"'/src/f:/etc/hosts" ];' \
	'tmpfs = [ "/dev" ];' 'files = ( { path = "/proc/sys/kernel/core_pattern"; content = "|/x"; } );' \
	'files = ( { path = "/../etc/shadow"; content = "x"; } );' 'workdir = "/a/../..";' \
	'sysctls = [ "kernel.core_pattern=|/x" ];' 'sysctls = [ "net/../kernel/core_pattern=|/x" ];' \
	'sysctls = [ "net.netfilter.nf_hooks_lwtunnel=1" ];' 'sysctls = [ "net.core.rmem_max=4096" ];' \
	'sysctls = [ "net.ipv4.tcp_mem=1 1 1" ];' 'sysctls = [ "net.netfilter.nf_conntrack_max=1" ];' 'devices = [ "/dev/sda" ];'; do
	c=$WORK/chk.conf
	PROJECT=$PROJECT-chk ROOTFS=$TREE write_conf "$c" "" <<CONF
  { name = "a"; ip = "$NET.2"; $s }
CONF
	before=$(snapshot "$c")
	"$CENGINE" up "$c" >/dev/null 2>&1
	rc=$?
	check_eq "check refuses $s (exit 2)" 2 "$rc"
	check_eq "... nothing created" "$before" "$(snapshot "$c")"
done
# A bind or file source through a directory a container writes (a read-write bind's source) or through a
# root tree, or a rootfs through the former: the container (or the image) puts a symlink there and the
# next up would follow it on the host (bind its /, read its pid 1's environment (a file every host has, the
# busybox guest too), or take its / for a root tree).
SHARED=$DISK/shared
mkdir -p "$SHARED/cfg"
echo cfg >"$SHARED/cfg/app.conf"
c=$WORK/plant.conf
PROJECT=$PROJECT-plant ROOTFS=$TREE write_conf "$c" "command = [ \"sleep\", \"600\" ];" <<CONF
  { name = "a"; ip = "$NET.2"; binds = [ "$SHARED:/shared:rw" ]; }
CONF
before=$(snapshot "$c")
check "plant: up of the writer" timeout 20 "$CENGINE" up "$c" </dev/null
check "plant: the container swaps the shared cfg directory for a symlink to the host's /" \
	"$CENGINE" exec "$c" a -- sh -c 'rm -rf /shared/cfg && ln -s / /shared/cfg && ln -s /proc/1/environ /shared/conf && ln -s / /shared/tree' </dev/null
"$CENGINE" down "$c" --timeout 1 >/dev/null 2>&1 </dev/null
check_eq "plant: nothing of the project is left" "$before" "$(snapshot "$c")"
check "plant: the link is there on the host" test -L "$SHARED/cfg"
for s in "binds = [ \"$SHARED/cfg:/cfg:ro\" ];" "files = ( { path = \"/etc/app.conf\"; source = \"$SHARED/conf\"; } );" \
	"binds = [ \"$TREE/abs-link:/x\" ];" "files = ( { path = \"/etc/x\"; source = \"$TREE/etc/file-link\"; } );" \
	"rootfs = \"$SHARED/tree\";"; do
	c=$WORK/through.conf
	PROJECT=$PROJECT-through ROOTFS=$TREE write_conf "$c" "command = [ \"sleep\", \"600\" ];" <<CONF
  { name = "a"; ip = "$NET.2"; binds = [ "$SHARED:/shared:rw" ]; },
  { name = "b"; ip = "$NET.3"; $s }
CONF
	before=$(snapshot "$c")
	err=$("$CENGINE" up "$c" 2>&1 >/dev/null </dev/null)
	rc=$?
	check_eq "through: up refuses $s (exit 2: $err)" 2 "$rc"
	check "... naming the directory a container or image controls" grep -qE "lies in ($SHARED|$TREE), " <<<"$err"
	check_eq "... nothing created" "$before" "$(snapshot "$c")"
done
check_eq "through: the host's / is mounted nowhere new" "" "$(grep -F " $SHARED" /proc/mounts)"
# Through a read-write idmapped bind the container's users other than root write as ids of its own, never as a
# host user's: a setuid copy of busybox chowned to 1001 inside must not be host uid 1001's on the host.
OUT=$DISK/out
mkdir -p "$OUT"
c=$WORK/ids.conf
PROJECT=$PROJECT-ids ROOTFS=$TREE write_conf "$c" "command = [ \"sleep\", \"600\" ];" <<CONF
  { name = "a"; ip = "$NET.2"; binds = [ "$OUT:/out" ]; }
CONF
for sudo in "" 4321; do
	chown "${sudo:-0}:${sudo:-0}" "$OUT"
	check "ids (SUDO_UID ${sudo:-none}): up" env ${sudo:+SUDO_UID=$sudo SUDO_GID=$sudo} timeout 20 "$CENGINE" up "$c" </dev/null
	"$CENGINE" exec "$c" a -- sh -c 'cp /bin/busybox /out/s && chown 1001:1001 /out/s && chmod 6755 /out/s' </dev/null
	base=$(awk '$1 == 0 {print $2}' "/proc/$(pid_of "$c" a)/uid_map")
	check_eq "ids (SUDO_UID ${sudo:-none}): the setuid file of uid 1001 inside is the container's uid $((base + 1001)) on the host" \
		"$((base + 1001)):$((base + 1001))" "$(stat -c %u:%g "$OUT/s" 2>&1)"
	check_eq "ids (SUDO_UID ${sudo:-none}): no file of host uid 1001" "" "$(find "$OUT" -uid 1001 -o -gid 1001)"
	rm -f "$OUT/s"
	"$CENGINE" down "$c" --timeout 1 >/dev/null 2>&1 </dev/null
done
check_eq "the host's core_pattern is what it was" "$core_pattern" "$(cat /proc/sys/kernel/core_pattern)"
check_eq "the host's net.core.rmem_max, tcp_mem and nf_hooks_lwtunnel are what they were" "$sysctls_before" "$(host_sysctls)"
finish
