#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_order.sh: eth0..ethN follow the file in every container; count copies with counting
# addresses; ip = "auto"; a network without gateway and with mtu; bad topology input refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

setup_project order
N1=$NET
subnets N2 N3
own_rootfs

NETWORKS="
  { name = \"one\"; subnet = \"$N1.0/24\"; gateway = \"$N1.1\"; bridge = \"${BRIDGE}a\"; },
  { name = \"two\"; subnet = \"$N2.0/24\"; bridge = \"${BRIDGE}b\"; mtu = 1400; },
  { name = \"three\"; subnet = \"$N3.0/24\"; gateway = \"$N3.1\"; bridge = \"${BRIDGE}c\"; }
"
write_conf "$CONF" <<CONF
  { name = "m"; interfaces = ( { network = "three"; ip = "$N3.10"; }, { network = "one"; ip = "$N1.10"; },
                               { network = "two"; ip = "$N2.10"; } ); },
  { name = "n"; interfaces = ( { network = "two"; ip = "$N2.20"; }, { network = "three"; ip = "auto"; } ); },
  { name = "w"; count = 5; interfaces = ( { network = "one"; ip = "$N1.100"; }, { network = "two"; ip = "auto"; } ); }
CONF

addrs() { x "$1" -- ip -o -4 addr show | awk '$2 ~ /^eth/ {print $2, $4}' | sort | paste -sd'|'; }
before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
check_eq "m: eth0 three, eth1 one, eth2 two (file order)" "eth0 $N3.10/24|eth1 $N1.10/24|eth2 $N2.10/24" "$(addrs m)"
check_eq "n: eth0 two, eth1 three with the first free address (auto)" "eth0 $N2.20/24|eth1 $N3.2/24" "$(addrs n)"
for i in 1 2 3 4 5; do
	check_eq "w$i: eth0 $N1.$((99 + i)), eth1 auto $N2.$i" "eth0 $N1.$((99 + i))/24|eth1 $N2.$i/24" "$(addrs "w$i")"
done
check_eq "count made w1..w5 and nothing else" "m n w1 w2 w3 w4 w5" "$("$CENGINE" ps "$CONF" | awk 'NR>1{print $2}' | sort | paste -sd' ')"
check_eq "hostnames of copies carry the index" w3 "$(x w3 -- hostname)"
check "m's default route is via three's gateway (its first interface with one)" sh -c \
	"'$CENGINE' exec '$CONF' m -- ip route | grep -q '^default via $N3.1 dev eth0'"
check "network two has no gateway: the host has no address on its bridge" sh -c "! ip -o -4 addr show dev ${BRIDGE}b | grep -q inet"
check_eq "network two's mtu is 1400 inside" 1400 "$(x m -- cat /sys/class/net/eth2/mtu)"
check "w5 pings w1 over the gatewayless network two" x w5 -- ping -c 1 -W 2 "$N2.1"
check "w5 pings n by name (n's first address is on two)" x w5 -- ping -c 1 -W 2 n
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing of the project" "$before" "$(snapshot "$CONF")"

# bad input: one line FILE:LINE: path: what, exit 2, nothing made
bad() { # DESCRIPTION EXPECTED-MESSAGE-PART CONTAINERS [LINKS]
	local f=$WORK/bad.conf out rc
	NETWORKS="{ name = \"one\"; subnet = \"$N1.0/24\"; bridge = \"${BRIDGE}d\"; subnet6 = \"fd00:1::/64\"; }" \
		write_conf "$f" "" "${4:-}" <<<"$3"
	out=$("$CENGINE" up "$f" 2>&1); rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -qF -- "$2" <<<"$out" && ! ip link show "${BRIDGE}d" >/dev/null 2>&1; then
		ok "$1"
	else
		not_ok "$1"; diag "rc=$rc: $out"
	fi
}
bad "count 0 is refused" "bad.conf:5: containers.[0].count: 0 is outside 1..4096" '{ name = "w"; count = 0; ip = "auto"; }'
bad "a route via an unreachable gateway is refused" "containers.[0].routes.[0].via: the gateway is on none of" \
	"{ name = \"a\"; ip = \"$N1.2\"; routes = ( { to = \"10.9.0.0/16\"; via = \"192.0.2.1\"; } ); }"
bad "a bad route destination is refused" "containers.[0].routes.[0].to: \"10.9.0.0\" is not a destination" \
	"{ name = \"a\"; ip = \"$N1.2\"; routes = ( { to = \"10.9.0.0\"; via = \"$N1.1\"; } ); }"
bad "an IPv6 address outside subnet6 is refused" "containers.[0].ipv6: fd00:2::1 is outside one" \
	"{ name = \"a\"; ip = \"$N1.2\"; ipv6 = \"fd00:2::1\"; }"
bad "a link to an unknown container is refused" "links.[0].b: unknown container \"zz\"" \
	"{ name = \"a\"; ip = \"$N1.2\"; }" 'links = ( { a = "a"; b = "zz"; } );'
bad "a link to itself is refused" "links.[0].b: a link needs two different containers" \
	"{ name = \"a\"; ip = \"$N1.2\"; }" 'links = ( { a = "a"; b = "a"; } );'
bad "a bad delay is refused" "links.[0].delay: \"50 parsecs\" is not a time" \
	"{ name = \"a\"; ip = \"$N1.2\"; }, { name = \"b\"; ip = \"$N1.3\"; }" 'links = ( { a = "a"; b = "b"; delay = "50 parsecs"; } );'
bad "a loss over 100% is refused" "links.[0].a_loss: \"150%\" is not a percentage" \
	"{ name = \"a\"; ip = \"$N1.2\"; }, { name = \"b\"; ip = \"$N1.3\"; }" 'links = ( { a = "a"; b = "b"; a_loss = "150%"; } );'
bad "a_ip without b_ip is refused" "links.[0].b_ip: a_ip and b_ip go together" \
	"{ name = \"a\"; ip = \"$N1.2\"; }, { name = \"b\"; ip = \"$N1.3\"; }" 'links = ( { a = "a"; b = "b"; a_ip = "10.9.0.1/30"; } );'
finish
