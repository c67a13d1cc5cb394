#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_ipv6.sh: a dual-stack pair: IPv6 addresses without DAD (usable the moment up returns),
# ping6 between containers and to the gateway, an IPv6 default route, IPv6 on a link.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

setup_project ipv6
P6=fdce:$(printf '%x' $(( $$ % 65536 )))
own_rootfs
NETWORKS=$(lan "subnet6 = \"$P6:1::/64\"; gateway6 = \"$P6:1::1\";")
write_conf "$CONF" "" "links = ( { a = \"a\"; b = \"b\"; a_ipv6 = \"$P6:9::1/64\"; b_ipv6 = \"$P6:9::2/64\"; } );" <<CONF
  { name = "a"; ip = "$NET.2"; ipv6 = "$P6:1::2"; },
  { name = "b"; interfaces = ( { network = "lan"; ip = "$NET.3"; ipv6 = "$P6:1::3"; } ); }
CONF

before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
# first thing after up: a tentative (DAD) address could not be used yet
check "a pings b over IPv6 the moment up returns" x a -- ping -6 -c 1 -W 1 "$P6:1::3"
check "b pings a over IPv6" x b -- ping -6 -c 1 -W 2 "$P6:1::2"
check "b pings a by name over IPv6 (/etc/hosts has both families)" x b -- ping -6 -c 1 -W 2 a
check "a pings the IPv6 gateway on the host bridge" x a -- ping -6 -c 1 -W 2 "$P6:1::1"
check "the host pings b over IPv6" ping -6 -c 1 -W 2 "$P6:1::3"
check "a pings b over the IPv6 link" x a -- ping -6 -c 1 -W 2 "$P6:9::2"
a6=$(nsenter -t "$(pid_of "$CONF" a)" -n $IP -6 -o addr show dev eth0 scope global)
check "a's address is $P6:1::2/64" grep -q "inet6 $P6:1::2/64" <<<"$a6"
check "a's address was added without DAD (nodad)" grep -q nodad <<<"$a6"
check "a's address is not tentative" test -z "$(grep -e tentative -e dadfailed <<<"$a6")"
check "a's IPv6 default route is the gateway6" sh -c "nsenter -t $(pid_of "$CONF" a) -n $IP -6 route show default | grep -q 'via $P6:1::1 dev eth0'"
check "IPv4 still works beside it" x a -- ping -c 1 -W 2 "$NET.3"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing of the project" "$before" "$(snapshot "$CONF")"
finish
