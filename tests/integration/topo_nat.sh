#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_nat.sh: nat = true masquerades the subnet towards a fake upstream made here (own netns and
# veth, no route back): it sees only the host's address; nothing goes elsewhere; down removes the
# nftables table and restores the host's ip_forward.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root
command -v nft >/dev/null || skip_all "nft (package nftables) is needed to inspect the rules"
command -v python3 >/dev/null || skip_all "python3 is needed for the upstream listener"

setup_project nat
subnets U
UPNS=tnu$$
GUARD=t_nat_guard_$$
own_rootfs
fwd_before=$(cat /proc/sys/net/ipv4/ip_forward)
at_exit "nft delete table ip '$GUARD' 2>/dev/null; ip link del 'tnh$$' 2>/dev/null; ip netns del '$UPNS' 2>/dev/null"

NETWORKS=$(lan "nat = true;")
write_conf "$CONF" <<CONF
  { name = "c"; ip = "$NET.2"; }
CONF

# the fake upstream: its own netns, a veth to the host, and no route back to the container subnet
ip netns add "$UPNS"
ip link add "tnh$$" type veth peer name "tnp$$" netns "$UPNS"
ip addr add "$U.1/24" dev "tnh$$" && ip link set "tnh$$" up
ip -n "$UPNS" addr add "$U.2/24" dev "tnp$$" && ip -n "$UPNS" link set "tnp$$" up && ip -n "$UPNS" link set lo up
# this test's own guard: count forwarded packets from the subnet to anything but the upstream
nft -f - <<NFT
table ip $GUARD {
	chain guard {
		type filter hook forward priority 0; policy accept;
		ip saddr $NET.0/24 ip daddr != $U.2 counter
		ip saddr $NET.0/24 ip daddr $U.2 counter
	}
}
NFT

before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
check "the project's table cengine-$PROJECT exists" nft list table ip "cengine-$PROJECT"
check "it masquerades the subnet leaving through other links than the bridge" sh -c \
	"nft list table ip 'cengine-$PROJECT' | grep -q 'ip saddr $NET.0/24 oifname != \"$BRIDGE\" masquerade'"
check_eq "nat turned the host's ip_forward on" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"

ip netns exec "$UPNS" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("'"$U.2"'", 7777)); s.listen(1); s.settimeout(10)
c, a = s.accept(); print(a[0]); sys.stdout.flush()' >"$WORK/peer" 2>&1 &
listener=$!
# listening: the upstream has a TCP socket listening on port 7777
listening() { ip netns exec "$UPNS" ss -Hltn 'sport = :7777' | grep -q .; }
check "the upstream listens on its port" wait_for 10 listening
check "c pings the upstream (which has no route back: only masquerading answers)" x c -- ping -c 2 -W 2 "$U.2"
check "c connects to the upstream's port" sh -c "echo hi | '$CENGINE' exec '$CONF' c -- nc '$U.2' 7777"
wait "$listener"
check_eq "the upstream sees the host's address, not the container's" "$U.1" "$(cat "$WORK/peer")"
counts=$(nft list table ip "$GUARD" | sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | paste -sd' ')
check_eq "no packet from the subnet went anywhere but the upstream" 0 "${counts%% *}"
check "packets to the upstream were counted (the guard works)" test "${counts##* }" -gt 0

check "down returns 0" "$CENGINE" down "$CONF"
check "the nftables table is gone after down" sh -c "! nft list table ip 'cengine-$PROJECT' 2>/dev/null"
check_eq "down restored the host's ip_forward" "$fwd_before" "$(cat /proc/sys/net/ipv4/ip_forward)"
# (another project's nat, of another test on this machine, keeps it: its journal has a forward line)
check "no saved ip_forward is left, unless another project's nat holds it" sh -c \
	"test ! -e /run/cengine/ip_forward.saved || grep -qs '^forward ' /run/cengine/*/journal"
check_eq "down leaves nothing of the project" "$before" "$(snapshot "$CONF")"
finish
