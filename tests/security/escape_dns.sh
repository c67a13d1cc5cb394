#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_dns.sh: a hostile tree's /etc/resolv.conf (a symlink to a host file, a FIFO) neither leaks a host file into the container (dns_search keeps the tree's nameservers) nor gets a host file overwritten (dns), with the user namespace and without.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project escdns
BASE=$WORK/base
cp -a "$(busybox_rootfs)" "$BASE"
SECRET=$WORK/host-resolv
printf 'nameserver 10.66.66.66\n# host-secret-%s\n' "$$" >"$SECRET"
cp "$SECRET" "$WORK/secret.orig"
# link: the tree's resolv.conf points at the host file by its absolute host path; fifo: a reader would block
LINK=$WORK/tree-link FIFO=$WORK/tree-fifo
cp -a "$BASE" "$LINK" && ln -s "$SECRET" "$LINK/etc/resolv.conf"
cp -a "$BASE" "$FIFO" && mkfifo "$FIFO/etc/resolv.conf"
REG=$WORK/tree-reg
cp -a "$BASE" "$REG" && printf 'nameserver 10.55.55.55\nsearch old.test\n' >"$REG/etc/resolv.conf"
ROOTFS=
write_conf "$CONF" <<CONF
  { name = "keep"; ip = "$NET.2"; rootfs = "$LINK"; dns_search = [ "lab.test" ]; },
  { name = "keepu"; ip = "$NET.3"; rootfs = "$LINK"; dns_search = [ "lab.test" ]; userns = false; },
  { name = "write"; ip = "$NET.4"; rootfs = "$LINK"; dns = [ "$NET.53" ]; },
  { name = "writeu"; ip = "$NET.5"; rootfs = "$LINK"; dns = [ "$NET.53" ]; userns = false; },
  { name = "fifo"; ip = "$NET.6"; rootfs = "$FIFO"; dns_search = [ "lab.test" ]; },
  { name = "reg"; ip = "$NET.7"; rootfs = "$REG"; dns_search = [ "lab.test" ]; }
CONF

before=$(snapshot "$CONF")
if ! timeout 60 "$CENGINE" up "$CONF" >"$WORK/out" 2>&1; then
	bail "up failed or hung on a FIFO: $(cat "$WORK/out")"
fi
ok "up with a FIFO and a symlink as the tree's resolv.conf returns"
lacks_secret() { ! grep -q -e host-secret -e 10.66.66.66 <<<"$1"; }
check_eq "a tree's own regular resolv.conf: its nameserver is kept with dns_search" "nameserver 10.55.55.55" \
	"$(x reg -- grep ^nameserver /etc/resolv.conf)"
for c in keep keepu; do
	got=$(x "$c" -- cat /etc/resolv.conf)
	check "$c (dns_search alone): the host file behind the tree's symlink is not read into it" lacks_secret "$got"
	check "$c: its search line is written" grep -qx "search lab.test" <<<"$got"
	check "$c: /etc/resolv.conf is a regular file now (the link was replaced)" x "$c" -- test ! -L /etc/resolv.conf
done
for c in write writeu; do
	check_eq "$c (dns): its resolv.conf has its nameserver" "nameserver $NET.53" \
		"$(x "$c" -- grep ^nameserver /etc/resolv.conf)"
done
check "the host file behind the symlink is untouched" cmp -s "$SECRET" "$WORK/secret.orig"
check "the tree's symlink is untouched (the rootfs is never changed)" test -L "$LINK/etc/resolv.conf"
check "fifo: a FIFO is not read (no nameserver), the search line written" \
	test "$(x fifo -- cat /etc/resolv.conf | grep -c -e ^nameserver -e '^search lab.test$')" = 1
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing" "$before" "$(snapshot "$CONF")"
finish
