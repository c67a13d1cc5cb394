#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_netf.sh: the network escape suite: from containers with and without the user namespace, forged frames
# (another's MAC, IPv4/IPv6 source, ARP reply, neighbour advertisement, router advertisement) and routes through
# the host (to another project, another network, a host link without nat) must fail; seen from the host and a victim.
. "$(dirname "$0")/escape_lib.sh"
need nsenter "nsenter (util-linux) is needed to read a container's tables"

use_probe NETF_PROBE probe_netf
IP=$(command -v ip)
setup_project netf
subnets N2 N3 N4 U
P6=fdce:$(printf '%x' $(( ($$ + 7) % 65536 )))
DOC6=2001:db8:$(printf '%x' $(( $$ % 65536 )))	# documentation prefix of the forged advertisements
UPNS=tnfu$$
CONF_B=$WORK/netfb.conf
CONF_C=$WORK/netfc.conf

ROOTFS=$WORK/rootfs
cp -a "$(busybox_rootfs)" "$ROOTFS"
cp "$PROBE" "$ROOTFS/bin/probe_netf"
NETWORKS="$(lan "subnet6 = \"$P6:1::/64\"; gateway6 = \"$P6:1::1\";"),
  { name = \"lab2\"; subnet = \"$N2.0/24\"; gateway = \"$N2.1\"; bridge = \"${BRIDGE}x\"; }"
# lan ADDR [SETTINGS]: an interface on lan with NET.ADDR and P6:1::ADDR
on_lan() { echo "interfaces = ( { network = \"lan\"; ip = \"$NET.$1\"; ipv6 = \"$P6:1::$1\";${2:+ $2} } );"; }
write_conf "$CONF" 'memory = "64M"; pids = 64;' <<CONF
  { name = "attu"; $(on_lan 2) },
  { name = "attr"; $(on_lan 3) userns = false; },
  { name = "victim"; $(on_lan 4) },
  { name = "victim2"; $(on_lan 5 "accept_ra = true;") },
  { name = "router"; $(on_lan 6) forward = true; },
  { name = "spoofer"; $(on_lan 7) spoofing = true; },
  { name = "peer"; interfaces = ( { network = "lab2"; ip = "$N2.2"; } ); }
CONF
# another project, with nat: it turns the host's ip_forward on
PROJECT=t-netfb-$$ NETWORKS="{ name = \"blan\"; subnet = \"$N3.0/24\"; gateway = \"$N3.1\"; bridge = \"${BRIDGE}b\"; nat = true; }" \
	write_conf "$CONF_B" 'memory = "64M"; pids = 64;' <<CONF
  { name = "bu"; ip = "$N3.2"; },
  { name = "bn"; ip = "$N3.3"; userns = false; }
CONF

# a third project whose subnet6 is lan's
PROJECT=t-netfc-$$ NETWORKS="{ name = \"lan6\"; subnet = \"$N4.0/24\"; subnet6 = \"$P6:1::/64\"; bridge = \"${BRIDGE}c\"; }" \
	write_conf "$CONF_C" <<CONF
  { name = "c"; ip = "$N4.2"; }
CONF

# a host link that is not a nat egress of lan: an upstream in its own netns that routes lan and lab2 back
at_exit "ip link del 'tnfh$$' 2>/dev/null; ip netns del '$UPNS' 2>/dev/null"
ip netns add "$UPNS"
ip link add "tnfh$$" type veth peer name "tnfp$$" netns "$UPNS"
ip addr add "$U.1/24" dev "tnfh$$" && ip link set "tnfh$$" up
ip -n "$UPNS" addr add "$U.2/24" dev "tnfp$$" && ip -n "$UPNS" link set "tnfp$$" up && ip -n "$UPNS" link set lo up
ip -n "$UPNS" route add "$NET.0/24" via "$U.1" && ip -n "$UPNS" route add "$N2.0/24" via "$U.1"
# what a forged advertisement would give the host if it took it: removed by exact prefix (the bridge takes the rest)
for k in 1 2 9; do at_exit "ip -6 route del '$DOC6:$k::/64' dev '$BRIDGE' 2>/dev/null"; done

mac_of() { printf '02:ce:%02x:%02x:%02x:%02x' ${1//./ }; }
# link_local IPV4: the EUI-64 link-local address of the MAC cengine derives from IPV4
link_local() { local -a b=(${1//./ }); printf 'fe80::ce:%xff:fe%02x:%x' "${b[0]}" "${b[1]}" $((b[2] * 256 + b[3])); }
VICTIM_MAC=$(mac_of "$NET.4")

before=$(snapshot "$CONF")
before_b=$(snapshot "$CONF_B")
check "up returns 0" "$CENGINE" up "$CONF"
check "up of the nat project returns 0" "$CENGINE" up "$CONF_B"
check_eq "the nat project turned the host's ip_forward on (the host would route)" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"
check "the project's bridge table exists" nft list table bridge "cengine-$PROJECT"
check "the project's forward table exists" nft list table inet "cengine-$PROJECT"
check_eq "the host takes no router advertisements on the bridge" "0 0" \
	"$(cat "/proc/sys/net/ipv6/conf/$BRIDGE/accept_ra" "/proc/sys/net/ipv6/conf/$BRIDGE/accept_redirects" | paste -sd' ')"
check_eq "nor on the IPv4-only bridge" 0 "$(cat "/proc/sys/net/ipv6/conf/${BRIDGE}x/accept_ra")"
vport=$("$CENGINE" check "$CONF" | sed -n "/^container victim:/,/^container/s/.*(host veth \(.*\))$/\1/p")
check_eq "the victim's host veth takes none either" 0 "$(cat "/proc/sys/net/ipv6/conf/$vport/accept_ra")"
check_eq "a default container takes no router advertisements" 0 "$(x victim -- cat /proc/sys/net/ipv6/conf/eth0/accept_ra)"
check_eq "victim2, whose file says accept_ra = true, takes them" 1 "$(x victim2 -- cat /proc/sys/net/ipv6/conf/eth0/accept_ra)"
check "the victim's MAC has a sticky entry on its port" sh -c "bridge fdb show br '$BRIDGE' | grep -q '^$VICTIM_MAC dev $vport .*sticky'"
check "learning is off on the victim's port" sh -c "bridge -d link show dev '$vport' | grep -q 'learning off'"
check "the host pins the victim's IPv6 address" sh -c "ip -6 neigh show dev '$BRIDGE' | grep -q '^$P6:1::4 lladdr $VICTIM_MAC PERMANENT'"
# the victim knows victim2 (IPv4 and IPv6): a forged reply could only change these entries
check "the victim reaches victim2 (IPv4)" x victim -- ping -c 1 -W 2 "$NET.5"
check "the victim reaches victim2 (IPv6)" x victim -- ping -6 -c 1 -W 2 "$P6:1::5"
VPID=$(pid_of "$CONF" victim)
V2PID=$(pid_of "$CONF" victim2)
neigh_of() { nsenter -t "$VPID" -n "$IP" "$1" neigh show "$2" dev eth0 | awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}'; }

# listen_from ATTACKER OWN_IP CMD...: the victim counts tagged frames while ATTACKER runs each "probe ARGS"
# line of CMD's output, then one legitimate broadcast frame (whichever port the bridge thinks the victim's
# MAC is on) that ends the count; $WORK/ATTACKER.{sent,seen}. Right after the "mac" frames, before the
# victim answers anything (which would teach a learning bridge its port again), the port the bridge
# forwards the victim's MAC to goes to $WORK/ATTACKER.fdb.
listen_from() {
	local c=$1 own=$2 seen=$WORK/$1.seen lpid
	shift 2
	x victim -- probe_netf listen 10 >"$seen" 2>&1 </dev/null &
	lpid=$!
	wait_for 5 grep -q ready "$seen" || diag "the victim's listener did not start"
	: >"$WORK/$c.sent"
	while read -r args; do
		# shellcheck disable=SC2086
		x "$c" -- probe_netf $args >>"$WORK/$c.sent" 2>&1 </dev/null
		[ "${args%% *}" != mac ] || fdb_port >"$WORK/$c.fdb"
	done < <("$@")
	x "$c" -- probe_netf end "$own" "$NET.4" ff:ff:ff:ff:ff:ff >/dev/null 2>&1 </dev/null
	wait "$lpid"
}
fdb_port() { bridge fdb show br "$BRIDGE" | awk -v m="$VICTIM_MAC" '$1 == m { print $3 }'; }

# count C KIND: frames of KIND the victim saw from C; sent C KIND: what C's probe said
count() { awk -v k="$2" '$1 == k { print $2 }' "$WORK/$1.seen"; }
sent() { awk -v k="$2" '$1 == k { print $2 }' "$WORK/$1.sent"; }

# --- controls: the same frames from containers the file allows them to, and the listener sees them
spoof_lines() { echo "ip4 $NET.5 $NET.4 $VICTIM_MAC"; echo "ip6 $P6:1::5 $P6:1::4 $VICTIM_MAC"; }
listen_from spoofer "$NET.7" spoof_lines
check_eq "control: spoofer (spoofing = true) forges an IPv4 source and the victim sees it" 5 "$(count spoofer ip4)"
check_eq "control: and an IPv6 source" 5 "$(count spoofer ip6)"
check_eq "control: the victim's count ended on the legitimate frame" seen "$(count spoofer end)"
router_ra() { echo "ra $DOC6:9:: 20"; }
listen_from router "$NET.6" router_ra
check_eq "control: the router's (forward = true) advertisement reaches the victim" 3 "$(count router ra)"
check "control: victim2 (accept_ra = true) takes the router's prefix" \
	wait_for 5 sh -c "nsenter -t $V2PID -n $IP -6 route show | grep -q '^$DOC6:9::/64'"
check "the victim (accept_ra off) does not" sh -c "! nsenter -t $VPID -n $IP -6 route show | grep -q '^$DOC6:'"
check "nor does the host, which got it too" sh -c "! ip -6 route show | grep -q '$DOC6:'"
check "control: nat's egress works for the nat project" "$CENGINE" exec "$CONF_B" bu -- ping -c 1 -W 2 "$U.2"

# --- the attempts, from a container with the user namespace (attu) and one without (attr)
# shellcheck disable=SC2034 # read by expect_table (escape_lib.sh)
EXPECT="
mac_takeover   dropped   dropped   frames with the victim's source MAC (bridge forwarding entry moves?)
ip4_spoof      dropped   dropped   IPv4 from victim2's address to the victim
arp_spoof      dropped   dropped   ARP reply to the victim: victim2's IPv4 is at the attacker's MAC
ip6_spoof      dropped   dropped   IPv6 from victim2's address to the victim
na_spoof       dropped   dropped   neighbour advertisement (override): victim2's IPv6 is at the attacker's MAC
ra_forged      dropped   dropped   router advertisement: default route and on-link $DOC6:N::/64
cross_project  no-reply  no-reply  ping a container of the nat project through the host
cross_network  no-reply  no-reply  ping a container on the project's other network through the host
egress_no_nat  no-reply  no-reply  ping a host link's neighbour that routes lan back (lan has no nat)
"
declare -A GOT
# result C KIND: "dropped" when C's probe sent its frames and none reached the victim, else what happened
result() {
	local s n
	s=$(sent "$1" "$2")
	n=$(count "$1" "$2")
	if [ "$s" != sent ]; then echo "${s:-no-probe}"; elif [ "$n" = 0 ]; then echo dropped; else echo "reached($n)"; fi
}
# pinged C CMD...: "no-reply" when the ping fails, "reached" when it succeeds
pinged() { if "$@" >/dev/null 2>&1; then echo reached; else echo no-reply; fi; }

k=0
for c in attu attr; do
	k=$((k + 1))
	own=$NET.$((k + 1))
	# the frames with the victim's MAC last: where they move its forwarding entry, it gets nothing more
	attack_lines() {
		echo "ip4 $NET.5 $NET.4 $VICTIM_MAC"
		echo "arp $NET.5 $NET.4 $VICTIM_MAC"
		echo "ip6 $P6:1::5 $P6:1::4 $VICTIM_MAC"
		echo "na $P6:1::5 $P6:1::4 $VICTIM_MAC"
		echo "ra $DOC6:$k:: 20"
		echo "mac $VICTIM_MAC $own"
	}
	listen_from "$c" "$own" attack_lines
	diag "$c: $(paste -sd' ' "$WORK/$c.sent"); victim saw: $(paste -sd' ' "$WORK/$c.seen"); its MAC was on $(cat "$WORK/$c.fdb")"
	GOT[$c.mac_takeover]=$(result "$c" mac)
	port=$(cat "$WORK/$c.fdb")
	[ "$port" = "$vport" ] || GOT[$c.mac_takeover]="moved-to-${port:-nowhere}"
	GOT[$c.ip4_spoof]=$(result "$c" ip4)
	GOT[$c.arp_spoof]=$(result "$c" arp)
	[ "$(neigh_of -4 "$NET.5")" != "$(mac_of "$NET.$((k + 1))")" ] || GOT[$c.arp_spoof]=poisoned
	GOT[$c.ip6_spoof]=$(result "$c" ip6)
	GOT[$c.na_spoof]=$(result "$c" na)
	[ "$(neigh_of -6 "$P6:1::5")" != "$(mac_of "$NET.$((k + 1))")" ] || GOT[$c.na_spoof]=poisoned
	GOT[$c.ra_forged]=$(result "$c" ra)
	ll=$(link_local "$own")
	took=
	! ip -6 route show dev "$BRIDGE" | grep -q -e "^$DOC6:$k::/64" -e "via $ll" || took=host
	! nsenter -t "$V2PID" -n "$IP" -6 route show | grep -q -e "^$DOC6:$k::/64" -e "via $ll" || took=${took:+$took+}victim2
	[ -z "$took" ] || GOT[$c.ra_forged]=$took-took-it
	GOT[$c.cross_project]=$(pinged x "$c" -- ping -c 2 -W 1 "$N3.2")
	GOT[$c.cross_network]=$(pinged x "$c" -- ping -c 2 -W 1 "$N2.2")
	GOT[$c.egress_no_nat]=$(pinged x "$c" -- ping -c 2 -W 1 "$U.2")
	x victim -- ping -c 1 -W 1 "$NET.1" >/dev/null 2>&1	# where a bridge learns, it learns the victim's port again
done
check_eq "the victim's MAC entry is still on its own port" "$vport" "$(fdb_port)"
check "the host pings the victim (its traffic still goes to the victim's port)" ping -c 1 -W 2 "$NET.4"

# the attackers: attu with the user namespace, attr without
result() { echo "${GOT[att$2.$1]}"; }
expect_result() {
	local who="attu (user namespace)"

	[ "$1" = userns ] || who="attr (userns = false)"
	check_eq "$who: $2 fails ($3)" "$3" "$4"
}
expect_table 15 result expect_result

# from the nat project's containers into this project, through the host
check_eq "bu (user namespace): the nat project cannot reach the victim" no-reply \
	"$(pinged "$CENGINE" exec "$CONF_B" bu -- ping -c 2 -W 1 "$NET.4")"
check_eq "bn (userns = false): the nat project cannot reach the victim" no-reply \
	"$(pinged "$CENGINE" exec "$CONF_B" bn -- ping -c 2 -W 1 "$NET.4")"
check "control: within the project's network the victim still reaches victim2" x victim -- ping -c 1 -W 2 "$NET.5"

# another project may not take lan's subnet6: refused before anything is made (exit 2, one line)
before_c=$(snapshot "$CONF_C")
out=$("$CENGINE" up "$CONF_C" 2>&1)
check_eq "up of a project with lan's subnet6 exits 2" 2 "$?"
check_eq "and says which address it overlaps" \
	"$CONF_C:2: networks.[0].subnet6: subnet6 $P6:1::/64 overlaps address $P6:1::1/64 on $BRIDGE" "$out"
check_eq "and makes nothing" "$before_c" "$(snapshot "$CONF_C")"

check "down returns 0" "$CENGINE" down "$CONF"
check "down of the nat project returns 0" "$CENGINE" down "$CONF_B"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
check_eq "and the nat project's down too" "$before_b" "$(snapshot "$CONF_B")"
finish
