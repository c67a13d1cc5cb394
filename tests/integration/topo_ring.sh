#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_ring.sh: a file of links only: a ring of 4 routers (forward, routes) pinging round it; link ends named (a_ifname) with given MACs (a_mac); no bridge made.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project ring
ROOTFS=$(busybox_rootfs)
L=$NET	# the ring's /30s: r1-r2 .0, r2-r3 .4, r3-r4 .8, r4-r1 .12
cat >"$CONF" <<CONF
name = "$PROJECT";
defaults = { rootfs = "$ROOTFS"; forward = true; };
containers = (
  { name = "r1"; routes = ( { to = "$L.4/30"; via = "$L.2"; }, { to = "$L.8/30"; via = "$L.13"; } ); },
  { name = "r2"; routes = ( { to = "$L.8/30"; via = "$L.6"; }, { to = "$L.12/30"; via = "$L.1"; } ); },
  { name = "r3"; routes = ( { to = "$L.12/30"; via = "$L.10"; }, { to = "$L.0/30"; via = "$L.5"; } ); },
  { name = "r4"; routes = ( { to = "$L.0/30"; via = "$L.14"; }, { to = "$L.4/30"; via = "$L.9"; } ); }
);
links = (
  { a = "r1"; b = "r2"; a_ip = "$L.1/30"; b_ip = "$L.2/30"; a_ifname = "to-r2"; b_ifname = "to-r1";
    a_mac = "02:ce:00:00:01:02"; b_mac = "02:ce:00:00:02:01"; },
  { a = "r2"; b = "r3"; a_ip = "$L.5/30"; b_ip = "$L.6/30"; a_ifname = "to-r3"; b_ifname = "to-r2"; },
  { a = "r3"; b = "r4"; a_ip = "$L.9/30"; b_ip = "$L.10/30"; },
  { a = "r4"; b = "r1"; a_ip = "$L.13/30"; b_ip = "$L.14/30"; }
);
CONF
register_conf "$CONF"

plan=$("$CENGINE" check "$CONF")
check "check accepts a file of links only" test -n "$plan"
check "check names the ends" grep -qx "link r1:to-r2 - r2:to-r1" <<<"$plan"
check "an unnamed end is the next ethN" grep -qx "link r4:eth1 - r1:eth0" <<<"$plan"
check "check shows the MAC" grep -qx "  r1:to-r2 $L.1/30 mac 02:ce:00:00:01:02" <<<"$plan"
before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
check_eq "r1 has lo eth0 to-r2 (no bridge interface)" "eth0 lo to-r2" \
	"$(x r1 -- ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | paste -sd' ')"
check_eq "r1's to-r2 has its MAC (inside)" "02:ce:00:00:01:02" "$(x r1 -- cat /sys/class/net/to-r2/address)"
check_eq "r2's to-r1 has its MAC (from the host, in its netns)" "02:ce:00:00:02:01" \
	"$(nsenter -t "$(pid_of "$CONF" r2)" -n ip -o link show to-r1 | sed -n 's|.*link/ether \([0-9a-f:]*\) .*|\1|p')"
check "ps --json lists r1's link end addresses" grep -q '"name":"r1",[^}]*"addresses":\["'"$L"'.1/30","'"$L"'.14/30"\]' \
	<<<"$("$CENGINE" ps --json "$CONF" | tr -d ' \n')"
check_eq "r2 forwards (ip_forward in its netns)" 1 "$(x r2 -- cat /proc/sys/net/ipv4/ip_forward)"
check "/etc/hosts names a router by its first link end" grep -qP "^$L.1\tr1$" <<<"$(x r2 -- cat /etc/hosts)"
for from in r1 r2 r3 r4; do
	for to in 1 2 5 6 9 10 13 14; do
		x "$from" -- ping -c 1 -W 2 "$L.$to" >/dev/null 2>&1 || echo "$from -> $L.$to"
	done
done >"$WORK/unreached"
check_eq "every router reaches every ring address (round the ring through two others)" "" "$(cat "$WORK/unreached")"
check_eq "r1 reaches r3 over two hops (TTL 64 - 1)" "63" \
	"$(x r1 -- ping -c 1 -W 2 "$L.6" | sed -n 's/.*ttl=\([0-9]*\).*/\1/p')"
check "no bridge of the project on the host" sh -c "! ip -o link show type bridge | grep -q 'cengine:$PROJECT'"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing" "$before" "$(snapshot "$CONF")"

# names and MACs are checked: a name twice, a multicast MAC, the same MAC twice; a container with nothing
bad() {	# bad WHAT SED EXPECT: the file changed by SED is refused: exit 2, the line EXPECT
	sed "$2" "$CONF" >"$WORK/bad.conf"
	"$CENGINE" check "$WORK/bad.conf" >/dev/null 2>"$WORK/err"
	check_eq "$1: exit 2" 2 "$?"
	check_eq "$1: says why" "$3" "$(cat "$WORK/err")"
}
bad "a name twice" 's/b_ifname = "to-r2";/b_ifname = "eth0";/' \
	"$WORK/bad.conf:12: links.[1].b_ifname: r3 already has an interface eth0"
bad "a multicast MAC" 's/a_mac = "02:ce/a_mac = "03:ce/' \
	"$WORK/bad.conf:11: links.[0].a_mac: 03:ce:00:00:01:02 is a multicast address (the first byte is odd)"
bad "one MAC twice" 's/b_mac = "02:ce:00:00:02:01"/b_mac = "02:ce:00:00:01:02"/' \
	"$WORK/bad.conf:11: links.[0].b_mac: the MAC is already on another link end"
bad "a container without interface or link" 's/^  { name = "r4";/  { name = "r5"; }, &/' \
	"$WORK/bad.conf:7: containers.[3]: has no ip, interfaces or links"
finish
