#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_router.sh: client and server on two isolated networks, a router container between them;
# the path goes through the router (its forwarding off: no ping), eth order, routes, down leaves nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

setup_project router
N1=$NET
subnets N2
own_rootfs

# no gateways: the host has no address on either bridge, so only the router can join them
NETWORKS="
  { name = \"lan\"; subnet = \"$N1.0/24\"; bridge = \"${BRIDGE}l\"; },
  { name = \"wan\"; subnet = \"$N2.0/24\"; bridge = \"${BRIDGE}w\"; }
"
write_conf "$CONF" <<CONF
  { name = "client"; interfaces = ( { network = "lan"; ip = "$N1.2"; } );
    routes = ( { to = "$N2.0/24"; via = "$N1.254"; } ); },
  { name = "router"; forward = true;
    interfaces = ( { network = "lan"; ip = "$N1.254"; }, { network = "wan"; ip = "$N2.254"; } ); },
  { name = "server"; interfaces = ( { network = "wan"; ip = "$N2.2"; } );
    routes = ( { to = "default"; via = "$N2.254"; } ); }
CONF

before=$(snapshot "$CONF")
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
check "up returns 0" "$CENGINE" up "$CONF"
check_eq "while up, the snapshot holds both bridges and the four host veths" 6 "$(snapshot "$CONF" | grep -c '^link ')"
check_eq "router eth0 is on lan (file order)" "$N1.254/24" "$(x router -- ip -o -4 addr show eth0 | awk '{print $4}')"
check_eq "router eth1 is on wan (file order)" "$N2.254/24" "$(x router -- ip -o -4 addr show eth1 | awk '{print $4}')"
check_eq "router has lo eth0 eth1" "lo eth0 eth1" "$(x router -- ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | paste -sd' ')"
check "client has the route to wan via the router" sh -c "'$CENGINE' exec '$CONF' client -- ip route | grep -q '^$N2.0/24 via $N1.254 dev eth0'"
check "server's default route is the router (its own routes entry)" sh -c "'$CENGINE' exec '$CONF' server -- ip route | grep -q '^default via $N2.254 dev eth0'"
check "client has no default route (lan has no gateway)" sh -c "! '$CENGINE' exec '$CONF' client -- ip route | grep -q '^default'"
check_eq "forwarding is on inside the router" 1 "$(x router -- cat /proc/sys/net/ipv4/ip_forward)"
check_eq "forwarding is off inside the client" 0 "$(x client -- cat /proc/sys/net/ipv4/ip_forward)"
check_eq "the host's ip_forward is untouched" "$host_fwd" "$(cat /proc/sys/net/ipv4/ip_forward)"
check "the host has no address on either bridge" sh -c "! ip -o -4 addr show dev ${BRIDGE}l | grep -q inet && ! ip -o -4 addr show dev ${BRIDGE}w | grep -q inet"
check "client pings server through the router" x client -- ping -c 2 -W 2 "$N2.2"
check "server pings client through the router" x server -- ping -c 2 -W 2 "$N1.2"
hops=$(x client -- traceroute -n -q 1 -w 2 -m 4 "$N2.2" 2>/dev/null | awk 'NR>1{print $2}' | paste -sd' ')
check_eq "traceroute shows the router as the one hop" "$N1.254 $N2.2" "$hops"

# prove the path: forwarding off in the router's netns only -> no ping; back on -> ping again
rpid=$(pid_of "$CONF" router)
nsenter -t "$rpid" -n sh -c 'echo 0 >/proc/sys/net/ipv4/ip_forward'
check "without the router's forwarding client cannot reach server" sh -c "! '$CENGINE' exec '$CONF' client -- ping -c 2 -W 1 '$N2.2'"
check "the client still reaches the router itself" x client -- ping -c 1 -W 2 "$N1.254"
nsenter -t "$rpid" -n sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
check "forwarding back on: client reaches server again" x client -- ping -c 2 -W 2 "$N2.2"

check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing of the project" "$before" "$(snapshot "$CONF")"
check_eq "the host's ip_forward is still untouched" "$host_fwd" "$(cat /proc/sys/net/ipv4/ip_forward)"
finish
