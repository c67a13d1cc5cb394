#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# many_ifaces.sh: one container on 32 networks (no cap on interfaces) and with 16 link ends:
# eth0..eth47 all addressed from inside, each network's address answering its bridge's gateway on the
# host, each link answered by its other end, and a down that leaves nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

N_NETS=32
N_LINKS=16
setup_project many
bridge() { echo "$BRIDGE$1"; }	# BRIDGE (<= 14 bytes: c + many + pid) + one letter a..z, A..F
TAGS=(a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F)
at_exit 'for k in "${TAGS[@]}"; do ! ip link show "$(bridge "$k")" >/dev/null 2>&1 || ip link del "$(bridge "$k")"; done'

# N_NETS different free /24s ("10.X.Y")
declare -a NET
for k in $(seq 0 $((N_NETS - 1))); do subnets "NET[$k]"; done
subnets P2P	# the links' /30s: a has .4k+1, b .4k+2
own_rootfs
LAST=${NET[N_NETS - 1]}

{
	echo "name = \"$PROJECT\";"
	echo "networks = ("
	for k in $(seq 0 $((N_NETS - 1))); do
		echo "  { name = \"n$k\"; subnet = \"${NET[k]}.0/24\"; gateway = \"${NET[k]}.1\"; bridge = \"$(bridge "${TAGS[k]}")\"; }$([ "$k" -lt $((N_NETS - 1)) ] && echo ,)"
	done
	echo ");"
	echo "defaults = { rootfs = \"$ROOTFS\"; };"
	echo "containers = ("
	echo "  { name = \"a\"; interfaces = ("
	for k in $(seq 0 $((N_NETS - 1))); do
		echo "      { network = \"n$k\"; ip = \"${NET[k]}.2\"; }$([ "$k" -lt $((N_NETS - 1)) ] && echo ,)"
	done
	echo "  ); },"
	echo "  { name = \"b\"; interfaces = ( { network = \"n$((N_NETS - 1))\"; ip = \"$LAST.3\"; } ); }"
	echo ");"
	echo "links = ("
	for k in $(seq 0 $((N_LINKS - 1))); do
		echo "  { a = \"a\"; b = \"b\"; a_ip = \"$P2P.$((4 * k + 1))/30\"; b_ip = \"$P2P.$((4 * k + 2))/30\"; }$([ "$k" -lt $((N_LINKS - 1)) ] && echo ,)"
	done
	echo ");"
} >"$CONF"
expected=$({ for k in $(seq 0 $((N_NETS - 1))); do echo "eth$k ${NET[k]}.2/24"; done
	for k in $(seq 0 $((N_LINKS - 1))); do echo "eth$((N_NETS + k)) $P2P.$((4 * k + 1))/30"; done; } | sort)
N_ALL=$((N_NETS + N_LINKS))
before=$(snapshot "$CONF")
check "cengine check lists $N_NETS bridges" test "$("$CENGINE" check "$CONF" | grep -c "^network [^:]*: bridge $BRIDGE")" = "$N_NETS"
check "up with a container on $N_NETS networks returns 0" "$CENGINE" up "$CONF"
addrs=$(x a -- ip -o -4 addr show | awk '$2 ~ /^eth/ {print $2, $4}' | sort)
check_eq "a has eth0..eth$((N_ALL - 1)), each with its address" "$expected" "$addrs"
check_eq "all $N_ALL of a's interfaces are up" "$N_ALL" \
	"$(x a -- ip -o link show | grep -c '^[0-9]*: eth[0-9]*[:@].*[<,]UP[,>]')"
check "a's default route is the first network's gateway" sh -c "'$CENGINE' exec '$CONF' a -- ip route | grep -q '^default via ${NET[0]}.1 dev eth0'"
check "a pings b across the last network (eth$((N_NETS - 1)))" x a -- ping -c 1 -W 2 "$LAST.3"
check "b pings a's eth$((N_NETS - 1))" x b -- ping -c 1 -W 2 "$LAST.2"
check "a pings the last network's gateway on the host through eth$((N_NETS - 1))" x a -- ping -I "eth$((N_NETS - 1))" -c 1 -W 2 "$LAST.1"
for k in $(seq 0 $((N_NETS - 1))); do
	ping -c 1 -W 2 "${NET[k]}.2" >/dev/null 2>&1 || echo "${NET[k]}.2"
done >"$WORK/unreached"
check_eq "the host (each bridge's gateway) reaches each of a's $N_NETS network addresses" "" "$(cat "$WORK/unreached")"
for k in $(seq 0 $((N_LINKS - 1))); do
	x b -- ping -c 1 -W 2 "$P2P.$((4 * k + 1))" >/dev/null 2>&1 || echo "$P2P.$((4 * k + 1))"
done >"$WORK/unreached"
check_eq "b reaches a over each of the $N_LINKS links" "" "$(cat "$WORK/unreached")"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing of the project" "$before" "$(snapshot "$CONF")"
check_eq "no bridge of the test is left" "" \
	"$(for k in "${TAGS[@]}"; do ip link show "$(bridge "$k")" 2>/dev/null; done)"
finish
