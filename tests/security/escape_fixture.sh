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
mkdir -p "$TREE/evil-passwd/etc" "$TREE/fifo-passwd/etc"

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
"
# the two odd trees: /etc/passwd a symlink to the host's shadow file, or a FIFO (a read would hang)
cp -a "$TREE/." "$TREE/evil-passwd/" 2>/dev/null; rm -rf "$TREE/evil-passwd/evil-passwd" "$TREE/evil-passwd/fifo-passwd"
ln -sf /etc/shadow "$TREE/evil-passwd/etc/passwd"
cp -a "$TREE/." "$TREE/fifo-passwd/" 2>/dev/null; rm -rf "$TREE/fifo-passwd/evil-passwd" "$TREE/fifo-passwd/fifo-passwd"
rm -f "$TREE/fifo-passwd/etc/passwd" && mkfifo "$TREE/fifo-passwd/etc/passwd"

host_state() { ls -A "$HOST"; cat "$WORK/host-file"; grep -F -- "$HOST" /proc/mounts; grep -F -- "$WORK/host-file" /proc/mounts; }
host_before=$(host_state)
core_pattern=$(cat /proc/sys/kernel/core_pattern)
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
	'tmpfs = [ "/dev" ];' 'files = ( { path = "/proc/sys/kernel/core_pattern"; content = "|/x"; } );' \
	'files = ( { path = "/../etc/shadow"; content = "x"; } );' 'workdir = "/a/../..";' \
	'sysctls = [ "kernel.core_pattern=|/x" ];' 'sysctls = [ "net/../kernel/core_pattern=|/x" ];' 'devices = [ "/dev/sda" ];'; do
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
check_eq "the host's core_pattern is what it was" "$core_pattern" "$(cat /proc/sys/kernel/core_pattern)"
finish
