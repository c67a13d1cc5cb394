#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# many_ifaces.sh: one container on 32 networks (no cap on interfaces): eth0..eth31 all addressed
# from inside, a ping across the 32nd network to a second container, and a down that leaves nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

N_NETS=32
PROJECT=t-many-$$
WORK=$(mktemp -d)
CONF=$WORK/many.conf
bridge() { echo "tmi$$x$1"; }	# <= 15 bytes: 3 + pid (<= 7) + x + 2
cleanup() {
	"$CENGINE" down "$CONF" --timeout 1 >/dev/null 2>&1
	for k in $(seq 0 $((N_NETS - 1))); do	# a failed down must not leave our bridges behind
		ip link show "$(bridge "$k")" >/dev/null 2>&1 && ip link del "$(bridge "$k")"
	done
	rm -rf "$WORK" "${ROOTFS:-}"
}
trap cleanup EXIT

# N_NETS different free /24s ("10.X.Y")
declare -a NET
while [ "${#NET[@]}" -lt "$N_NETS" ]; do
	n=$(pick_subnet) || { echo "Bail out! no free subnet"; exit 1; }
	printf '%s\n' "${NET[@]}" | grep -Fxq "$n" || NET+=("$n")
done
ROOTFS=$(own_rootfs) || { echo "Bail out! no busybox rootfs"; exit 1; }
LAST=${NET[N_NETS - 1]}

{
	echo "name = \"$PROJECT\";"
	echo "networks = ("
	for k in $(seq 0 $((N_NETS - 1))); do
		echo "  { name = \"n$k\"; subnet = \"${NET[k]}.0/24\"; gateway = \"${NET[k]}.1\"; bridge = \"$(bridge "$k")\"; }$([ "$k" -lt $((N_NETS - 1)) ] && echo ,)"
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
} >"$CONF"

x() { "$CENGINE" exec "$CONF" "$@"; }
expected=$(for k in $(seq 0 $((N_NETS - 1))); do echo "eth$k ${NET[k]}.2/24"; done | sort)
before=$(project_snapshot "$CONF" "$PROJECT")
check "cengine check lists $N_NETS bridges" test "$("$CENGINE" check "$CONF" | grep -c '^network [^:]*: bridge tmi')" = "$N_NETS"
check "up with a container on $N_NETS networks returns 0" "$CENGINE" up "$CONF"
addrs=$(x a -- ip -o -4 addr show | awk '$2 ~ /^eth/ {print $2, $4}' | sort)
check_eq "a has eth0..eth$((N_NETS - 1)), each with its address" "$expected" "$addrs"
check_eq "all $N_NETS of a's interfaces are up" "$N_NETS" \
	"$(x a -- ip -o link show | grep -c '^[0-9]*: eth[0-9]*[:@].*[<,]UP[,>]')"
check "a's default route is the first network's gateway" sh -c "'$CENGINE' exec '$CONF' a -- ip route | grep -q '^default via ${NET[0]}.1 dev eth0'"
check "a pings b across the last network (eth$((N_NETS - 1)))" x a -- ping -c 1 -W 2 "$LAST.3"
check "b pings a's eth$((N_NETS - 1))" x b -- ping -c 1 -W 2 "$LAST.2"
check "a pings the last network's gateway on the host through eth$((N_NETS - 1))" x a -- ping -I "eth$((N_NETS - 1))" -c 1 -W 2 "$LAST.1"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing of the project" "$before" "$(project_snapshot "$CONF" "$PROJECT")"
check_eq "no bridge of the test is left" "" \
	"$(for k in $(seq 0 $((N_NETS - 1))); do ip link show "$(bridge "$k")" 2>/dev/null; done)"
finish
