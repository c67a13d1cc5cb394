#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_root.sh: hostile root trees (a symlink where cengine mounts or writes, from a directory or a tarball) and the "host" rootfs's secrets, with the user namespace and without.
. "$(dirname "$0")/escape_lib.sh"

use_probe ROOT_PROBE probe_root
setup_project rt
CACHE=/var/lib/cengine/rootfs
# the tarballs' trees in the shared cache are this test's: their hashes go to $WORK/shas, removed at exit
at_exit 'while read -r s; do rm -rf "${CACHE:?}/$s"; find "$CACHE" -maxdepth 1 -lname "$s" -delete; done <"$WORK/shas"'
touch "$WORK/shas"

# the busybox tree plus the static probe
BASE=$WORK/base
cp -a "$(busybox_rootfs)" "$BASE"
cp "$PROBE" "$BASE/bin/probe-root"

# --- 1. hostile trees: each is tried in a project of its own, with and without the user namespace.
# attempt, then the expected result with a user namespace, and without (userns = false), and the tree.
# refused:PATH: up fails with one line naming PATH; replaced: up succeeds and cengine's file replaced
# the link instead of writing through it. Either way nothing of the project is left once it is down.
TREES="
proc_link_up      refused:/proc  refused:/proc  /proc -> ../root/xproc: procfs would land on /xproc, unmasked, /proc/sys writable
proc_link_root    refused:/proc  refused:/proc  /proc -> /: procfs over the host's / before pivot_root
sys_link          refused:/sys   refused:/sys   /sys -> ../root/xsys
dev_link          refused:/dev   refused:/dev   /dev -> xdev: the device tmpfs, devpts, shm, mqueue elsewhere
etc_link          refused:/etc   refused:/etc   /etc -> xetc: /etc/hosts and /etc/hostname written elsewhere
proc_file         refused:/proc  refused:/proc  /proc a regular file
hosts_link        replaced       replaced       /etc/hosts -> /xhosts
hostname_link     replaced       replaced       /etc/hostname -> /proc/sys/kernel/core_pattern
tar_proc_root     refused:/proc  refused:/proc  a tarball with proc -> /
tar_etc_etc       refused:/etc   refused:/etc   a tarball with etc -> /etc
tar_hardlink_abs  refused:entry  refused:entry  a tarball with a hard link to /etc/shadow
tar_hardlink_up   refused:entry  refused:entry  a tarball with a hard link to ../../../../../../etc/shadow
tar_name_escapes  refused:entry  refused:entry  a refused entry named ../ESC[31m...NEWLINE...: printed escaped, on one line
"

# add_hardlink TAR TARGET: append the entry ./shadow, a hard link to TARGET (GNU tar strips such targets)
add_hardlink() {
	python3 -c 'import sys, tarfile
with tarfile.open(sys.argv[1], "a") as t:
    i = tarfile.TarInfo("./shadow"); i.type = tarfile.LNKTYPE; i.linkname = sys.argv[2]; t.addfile(i)' "$1" "$2"
}

# add_named TAR: append an empty file whose name climbs out and holds a terminal escape and a newline
add_named() {
	python3 -c 'import sys, tarfile
with tarfile.open(sys.argv[1], "a") as t:
    t.addfile(tarfile.TarInfo("../\x1b[31mred\nsecond line"))' "$1"
}

# make_tree ATTEMPT: print the rootfs of ATTEMPT (a directory or a tarball), made from BASE
make_tree() {
	local t=$WORK/tree-$1
	rm -rf "$t" && cp -a "$BASE" "$t" || return 1
	case $1 in
	proc_link_up) rmdir "$t/proc" && mkdir "$t/xproc" && ln -s ../root/xproc "$t/proc" ;;
	proc_link_root | tar_proc_root) rmdir "$t/proc" && ln -s / "$t/proc" ;;
	sys_link) rmdir "$t/sys" && mkdir "$t/xsys" && ln -s ../root/xsys "$t/sys" ;;
	dev_link) rmdir "$t/dev" && mkdir "$t/xdev" && ln -s xdev "$t/dev" ;;
	etc_link) mv "$t/etc" "$t/xetc" && ln -s xetc "$t/etc" ;;
	tar_etc_etc) rm -rf "$t/etc" && ln -s /etc "$t/etc" ;;
	proc_file) rmdir "$t/proc" && echo hostile >"$t/proc" ;;
	hosts_link) ln -sf /xhosts "$t/etc/hosts" ;;
	hostname_link) ln -sf /proc/sys/kernel/core_pattern "$t/etc/hostname" ;;
	esac
	case $1 in
	tar_hardlink_abs) tar -C "$t" -cf "$t.tar" . && add_hardlink "$t.tar" /etc/shadow ;;
	tar_hardlink_up) tar -C "$t" -cf "$t.tar" . && add_hardlink "$t.tar" ../../../../../../etc/shadow ;;
	tar_name_escapes) tar -C "$t" -cf "$t.tar" . && add_named "$t.tar" ;;
	tar_*) tar -C "$t" -cf "$t.tar" . ;;
	*) echo "$t"; return 0 ;;
	esac || return 1
	sha256sum "$t.tar" | cut -d' ' -f1 >>"$WORK/shas"
	echo "$t.tar"
}

# what_attacker_got CONF: the probe's findings that are not the container's own, or "nothing"
what_attacker_got() {
	local got
	if ! got=$("$CENGINE" exec "$1" c -- probe-root tree 2>&1); then
		echo "ESCAPED:/ is not the tree (no /bin/probe-root; ls / shows: $("$CENGINE" exec "$1" c -- ls / 2>&1 | tr '\n' ' ' | head -c 160))"
		return
	fi
	got=$(grep ESCAPED <<<"$got" | tr '\n' ' ')
	echo "${got:-nothing escaped}"
}

# try_tree ATTEMPT MODE(userns|nouserns): one up of the tree; prints the result; keeps up's output in $WORK
try_tree() {
	local name=$1 mode=$2 root cf out rc net result
	root=$(make_tree "$name") || { echo "no-tree"; return; }
	subnets net
	cf=$WORK/$name-$mode.conf
	PROJECT=$PROJECT-$name-${mode:0:1} NETWORKS=$(NET=$net BRIDGE=$BRIDGE${mode:0:1} lan) ROOTFS=$root \
		write_conf "$cf" "$([ "$mode" = nouserns ] && echo 'userns = false;')" <<CONF
{ name = "c"; ip = "$net.2"; }
CONF
	local before after
	before=$(snapshot "$cf")
	out=$("$CENGINE" up "$cf" 2>&1)
	rc=$?
	echo "$out" >"$WORK/$name-$mode.out"
	if [ "$rc" != 0 ]; then
		result=$(sed -n 's|.*: \(/[a-z/]*\) in the root tree .*|refused:\1|p; s|.*: entry ".*" refused: .*|refused:entry|p' <<<"$out" | head -n 1)
		[ "$(wc -l <<<"$out")" = 1 ] || result="${result:-failed}(more than one line)"
		! grep -q $'\e' <<<"$out" || result="${result:-failed}(a raw escape byte)"
		result=${result:-failed:$out}
	else
		case $name in
		hosts_link) x_in "$cf" 'test -f /etc/hosts && ! test -L /etc/hosts && grep -q localhost /etc/hosts && ! test -e /xhosts' ;;
		hostname_link) x_in "$cf" 'test -f /etc/hostname && ! test -L /etc/hostname && test "$(cat /etc/hostname)" = c' ;;
		*) false ;;
		esac && result=replaced || result="accepted: $(what_attacker_got "$cf")"
		"$CENGINE" down "$cf" >/dev/null 2>&1
	fi
	after=$(snapshot "$cf")
	[ "$before" = "$after" ] || result="$result(left: $(diff <(echo "$before") <(echo "$after") | grep '^>' | tr '\n' ' '))"
	echo "$result"
}

x_in() { "$CENGINE" exec "$1" c -- sh -c "$2" >/dev/null 2>&1; }

diag "$(printf '%-17s %-15s %-15s %s' attempt userns no-userns what)"
while read -r name want_u want_r what; do
	[ -n "$name" ] || continue
	got_u=$(try_tree "$name" userns)
	got_r=$(try_tree "$name" nouserns)
	diag "$(printf '%-17s %-15s %-15s %s' "$name" "$got_u" "$got_r" "$what")"
	for m in userns nouserns; do
		[ ! -s "$WORK/$name-$m.out" ] || diag "  $m: $(head -c 400 "$WORK/$name-$m.out")"
	done
	check_eq "userns: hostile tree $name: $want_u" "$want_u" "$got_u"
	check_eq "nouserns: hostile tree $name: $want_r" "$want_r" "$got_r"
done <<<"$TREES"

# a benign tree: the container's /proc and /sys are its own, masked and read-only where they should be
ROOTFS=$BASE write_conf "$CONF" 'memory = "64M";' <<CONF
  { name = "userns"; ip = "$NET.2"; },
  { name = "nouserns"; ip = "$NET.3"; userns = false; }
CONF
check "up of a benign tree returns 0" "$CENGINE" up "$CONF"
for c in userns nouserns; do
	out=$(x "$c" -- probe-root tree 2>&1)
	diag "$c: $(tr '\n' ' ' <<<"$out")"
	check_eq "$c: /proc is procfs, /sys sysfs, no procfs elsewhere" "procfs sysfs none" \
		"$(awk '$1 ~ /^(proc_is_procfs|sys_is_sysfs|proc_elsewhere)$/ {printf "%s%s", s, $2; s=" "}' <<<"$out")"
	check "$c: core_pattern does not open for writing ($(awk '$1 == "core_pattern" {print $2}' <<<"$out"))" \
		grep -qE '^core_pattern (EROFS|EACCES)$' <<<"$out"
	check_eq "$c: /proc/sys is read-only, /proc/keys masked" "ro masked" \
		"$(awk '$1 ~ /^(proc_sys_ro|proc_keys)$/ {printf "%s%s", s, $2; s=" "}' <<<"$out")"
done
check "down returns 0" "$CENGINE" down "$CONF"

# --- 2. rootfs "host" (the default): what the host keeps from its other users, its private trees and
# cengine's state stay out of reach of the container's root. Each row names the host's paths (those
# that exist here), read or listed inside; "empty": every one is absent or reads/lists nothing.
SECRETS="
read_shadow      empty   empty   /etc/shadow, /etc/gshadow, /etc/shadow-, /etc/gshadow-
read_named       empty   empty   /etc/ssh/ssh_host_*_key, /etc/sudoers*, /etc/security/opasswd, /etc/machine-id
read_unreadable  empty   empty   every /etc entry the host's other users cannot read (a file without o+r, a dir without o+rx)
list_home        empty   empty   /root, /home
list_var         empty   empty   every directory of /var (lib, log, cache, spool, backups, mail, tmp, ...)
list_top         empty   empty   every other top-level directory (/srv, /opt, /mnt, /media, /boot, /run, /tmp, ...)
read_top_files   empty   empty   top-level files
run_cengine      absent  absent  /run/cengine (every project's journal)
var_lib_cengine  absent  absent  /var/lib/cengine (the rootfs cache)
"
SHOWN='usr bin sbin lib lib32 lib64 libx32 etc proc sys dev root home var'

# host_paths ROW: the host's paths of ROW, one a line
host_paths() {
	local top
	case $1 in
	read_shadow) ls -d /etc/shadow /etc/gshadow /etc/shadow- /etc/gshadow- ;;
	read_named) ls -d /etc/ssh/ssh_host_*_key /etc/sudoers /etc/sudoers.d /etc/security/opasswd /etc/machine-id ;;
	read_unreadable) find /etc -xdev -mindepth 1 \( -type d ! -perm -o=rx -print -prune \) -o \( -type f ! -perm -o=r -print \) \
		-o \( ! -type d ! -type f ! -type l -print \) ;;
	list_home) ls -d /root /home ;;
	list_var) find /var -mindepth 1 -maxdepth 1 -type d ;;
	list_top) for top in /*; do [ -L "$top" ] || [ ! -d "$top" ] || [[ " $SHOWN " == *" ${top#/} "* ]] || echo "$top"; done ;;
	read_top_files) for top in /* /.[!.]*; do [ -L "$top" ] || [ -d "$top" ] || [ ! -e "$top" ] || echo "$top"; done ;;
	run_cengine) ls -d /run/cengine ;;
	var_lib_cengine) ls -d /var/lib/cengine ;;
	esac 2>/dev/null
}

# run inside: one word a path: absent, empty, denied, READ:PATH (a byte read) or LISTS:PATH (an entry listed)
JUDGE='for p; do
	if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent
	elif [ -d "$p" ]; then if ! l=$(ls -A -- "$p" 2>/dev/null); then echo denied; elif [ -z "$l" ]; then echo empty; else echo "LISTS:$p"; fi
	elif ! head -c 1 -- "$p" >/dev/null 2>&1; then echo denied
	elif [ "$(head -c 1 -- "$p" | wc -c)" = 0 ]; then echo empty; else echo "READ:$p"; fi
done'

# judge CONF CONTAINER PATH...: the row's result: the first thing read, else absent (all absent), denied or empty
judge() {
	local conf=$1 c=$2 out
	shift 2
	[ $# -gt 0 ] || { echo "nothing-on-this-host"; return; }
	out=$("$CENGINE" exec "$conf" "$c" -- sh -c "$JUDGE" sh "$@" 2>&1)
	grep -m1 -E '^(READ|LISTS):' <<<"$out" && return
	if ! grep -qv '^absent$' <<<"$out"; then echo absent
	elif grep -q '^denied$' <<<"$out"; then echo denied
	elif ! grep -qvE '^(absent|empty)$' <<<"$out"; then echo empty
	else echo "failed:$(head -c 200 <<<"$out")"; fi
}

HCONF=$WORK/host.conf
subnets HNET
PROJECT=$PROJECT-h NETWORKS=$(NET=$HNET BRIDGE=${BRIDGE}h lan) ROOTFS='' write_conf "$HCONF" <<CONF
  { name = "userns"; ip = "$HNET.2"; },
  { name = "nouserns"; ip = "$HNET.3"; userns = false; }
CONF
before=$(snapshot "$HCONF")
check "up with the host's rootfs returns 0" "$CENGINE" up "$HCONF"
check "the host's programs run in it" "$CENGINE" exec "$HCONF" userns -- sh -c 'ls /usr/bin >/dev/null && id -u'
diag "$(printf '%-16s %-9s %-9s %s' attempt userns no-userns what)"
while read -r name want_u want_r what; do
	[ -n "$name" ] || continue
	mapfile -t paths < <(host_paths "$name")
	got_u=$(judge "$HCONF" userns "${paths[@]}")
	got_r=$(judge "$HCONF" nouserns "${paths[@]}")
	diag "$(printf '%-16s %-9s %-9s %s' "$name" "$got_u" "$got_r" "$what")"
	diag "  host paths: ${paths[*]:-none on this host}"
	check_eq "userns: host rootfs: $name: $want_u" "$want_u" "$got_u"
	check_eq "nouserns: host rootfs: $name: $want_r" "$want_r" "$got_r"
done <<<"$SECRETS"
check "the container's /var/tmp is 1777 and /root writable" "$CENGINE" exec "$HCONF" userns -- \
	sh -c 'test "$(stat -c %a /var/tmp)" = 1777 && touch /root/x /var/tmp/x /tmp/x /run/x'
check "down returns 0" "$CENGINE" down "$HCONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$HCONF")"
finish
