#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fw_hosts.sh: on hosts whose firewall drops forwarded traffic (Docker, ufw, firewalld on nftables, and
# iptables-legacy), each imitated in a private netns: a pair on a nat network and a pair on a plain one
# ping each other and their gateway, nat reaches a server behind the host, cengine's allow rules are
# where the host looks (iptables-save reads them), and the ruleset is byte-identical after down, also
# after an up killed once its rules were in, and after gc when /run was wiped too. firewall = "off" warns, and the host then really drops.
# iptables-legacy (Docker's chains, INPUT dropping too): the rules go in through libip4tc/libip6tc;
# without them up refuses with one line whose commands, run, make it work with firewall = "off".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fw_lib.sh"
require_root
fw_tools
[ -x /lib/ufw/ufw-init ] || unavailable "ufw (Debian package) is needed to imitate a ufw host"
command -v busybox >/dev/null || unavailable "busybox (busybox-static) serves TCP in the upstream netns"

setup_project fw
subnets NET2 U
ROOTFS=$(busybox_rootfs)
export CENGINE_STATE_DIR=$WORK/state	# nat saves this netns's ip_forward, not the host's
OFF=$WORK/off.conf

P6=fdcf:$(printf '%x' $(($$ % 65536)))
# conf FILE SETTINGS: networks lan (nat, a and b) and priv (IPv6 too, c and d), both with SETTINGS.
conf() {
	NETWORKS="{ name = \"lan\"; subnet = \"$NET.0/24\"; gateway = \"$NET.1\"; bridge = \"$BRIDGE\"; nat = true; $2 },
	{ name = \"priv\"; subnet = \"$NET2.0/24\"; gateway = \"$NET2.1\"; bridge = \"${BRIDGE}p\";
	  subnet6 = \"$P6::/64\"; gateway6 = \"$P6::1\"; $2 }" \
		write_conf "$1" <<CONF
  { name = "a"; interfaces = ( { network = "lan"; ip = "$NET.2"; } ); },
  { name = "b"; interfaces = ( { network = "lan"; ip = "$NET.3"; } ); },
  { name = "c"; interfaces = ( { network = "priv"; ip = "$NET2.2"; ipv6 = "$P6::2"; } ); },
  { name = "d"; interfaces = ( { network = "priv"; ip = "$NET2.3"; ipv6 = "$P6::3"; } ); }
CONF
}
conf "$CONF" ""
conf "$OFF" 'firewall = "off";'
CONFS=()	# they are downed inside the netns (below), not on the host

# up_in NS CONF: up inside NS, its output in $WORK/up.out (a file: the containers must not hold a pipe); its status.
up_in() { in_ns "$1" "$CENGINE" up "$2" >"$WORK/up.out" 2>&1; }

# tcp CONF FROM TO IP: a TCP connection from container FROM to TO's port 7000 (at IP) carries a line.
tcp() {
	local conf=$1 from=$2 to=$3 ip=$4 server
	"$CENGINE" exec "$conf" "$to" -- timeout 5 nc -l -p 7000 >"$WORK/tcp" 2>&1 &
	server=$!
	wait_for 5 "$CENGINE" exec "$conf" "$to" -- sh -c 'netstat -ltn | grep -q ":7000 "'
	echo "hi from $from" | "$CENGINE" exec "$conf" "$from" -- nc -w 2 "$ip" 7000 >/dev/null 2>&1
	wait "$server"
	[ "$(cat "$WORK/tcp")" = "hi from $from" ]
}

# works KIND CONF: both pairs ping both ways and their gateway; a reaches the upstream through nat
# (ping, and a TCP connection that the server sees from the host's address); c, without nat, does not.
works() {
	local kind=$1 conf=$2
	check "$kind: a pings b" "$CENGINE" exec "$conf" a -- ping -c 1 -W 2 "$NET.3"
	check "$kind: b pings a" "$CENGINE" exec "$conf" b -- ping -c 1 -W 2 "$NET.2"
	check "$kind: c pings d (a network without nat)" "$CENGINE" exec "$conf" c -- ping -c 1 -W 2 "$NET2.3"
	check "$kind: d pings c" "$CENGINE" exec "$conf" d -- ping -c 1 -W 2 "$NET2.2"
	check "$kind: a connects to b over TCP (more than the ICMP ufw lets through)" tcp "$conf" a b "$NET.3"
	check "$kind: d connects to c over TCP" tcp "$conf" d c "$NET2.2"
	check "$kind: c connects to d over TCP and IPv6" tcp "$conf" c d "$P6::3"
	check "$kind: a pings its gateway" "$CENGINE" exec "$conf" a -- ping -c 1 -W 2 "$NET.1"
	check "$kind: c pings its gateway" "$CENGINE" exec "$conf" c -- ping -c 1 -W 2 "$NET2.1"
	check "$kind: c pings d over IPv6" "$CENGINE" exec "$conf" c -- ping -6 -c 1 -W 2 "$P6::3"
	check "$kind: d pings c over IPv6" "$CENGINE" exec "$conf" d -- ping -6 -c 1 -W 2 "$P6::2"
	check "$kind: c pings its IPv6 gateway" "$CENGINE" exec "$conf" c -- ping -6 -c 1 -W 2 "$P6::1"
	check "$kind: nat: a pings the upstream (no route back: only masquerading answers)" \
		"$CENGINE" exec "$conf" a -- ping -c 1 -W 2 "$U.2"
	in_ns "$UPNS" timeout 10 busybox nc -l -p 7777 >"$WORK/got" 2>&1 &
	local server=$!
	listening() { in_ns "$UPNS" ss -Hltn 'sport = :7777' | grep -q .; }
	check "$kind: the upstream's server listens" wait_for 10 listening
	echo "hi from a" | "$CENGINE" exec "$conf" a -- nc -w 2 "$U.2" 7777 >/dev/null 2>&1
	wait "$server"
	check_eq "$kind: nat: a's TCP connection reached the upstream's server" "hi from a" "$(cat "$WORK/got")"
	check "$kind: c (no nat) does not reach the upstream" sh -c "! '$CENGINE' exec '$conf' c -- ping -c 1 -W 1 '$U.2'"
}

# The host drops: with firewall = "off" up warns, and a does not reach b; the ruleset is untouched.
off_drops() {
	local kind=$1 before
	before=$(fw_ruleset "$NS")
	up_in "$NS" "$OFF"
	check "$kind: firewall = off: up returns 0" test $? = 0
	check "$kind: firewall = off: up warns that the host's firewall drops the network's traffic" \
		grep -q 'warning: network lan has firewall = "off" and the host.s firewall drops' "$WORK/up.out"
	check "$kind: firewall = off: the host's firewall drops a's TCP connection to b (the imitation drops)" \
		eval "! tcp '$OFF' a b '$NET.3'"
	check "$kind: firewall = off: the host's firewall drops c's TCP connection to d over IPv6" \
		eval "! tcp '$OFF' c d '$P6::3'"
	check "$kind: firewall = off: down returns 0" in_ns "$NS" "$CENGINE" down "$OFF"
	check_eq "$kind: firewall = off: the ruleset is as before" "$before" "$(fw_ruleset "$NS")"
}

# A host kind whose firewall cengine opens: up, what it said, works, down, the ruleset; then a crash.
# SHOW prints CHAIN in NS (nft list chain, iptables-legacy-save).
managed() {
	local kind=$1 chain=$2 show=$3 before k h rc
	before=$(fw_ruleset "$NS")
	up_in "$NS" "$CONF"
	check "$kind: up returns 0" test $? = 0
	check "$kind: up says where its allow rules go ($chain)" \
		grep -q "host firewall ($kind) drops what bridges carry: allow rules .* $chain" "$WORK/up.out"
	check "$kind: the rules carry the project's mark, in $chain" sh -c \
		"nsenter --net=/run/netns/$NS $show | grep -q 'comment \"cengine:$PROJECT:hostfw\"'"
	check "$kind: iptables-save still reads every table (no native expression it cannot translate)" \
		sh -c "! nsenter --net=/run/netns/$NS sh -c 'iptables-save; ip6tables-save' 2>&1 | grep -qi incompatible"
	works "$kind" "$CONF"
	k=$(grep -n '^forward ' "$CENGINE_STATE_DIR/$PROJECT/journal" | cut -d: -f1)
	h=$(grep -n '^hostfw ' "$CENGINE_STATE_DIR/$PROJECT/journal" | head -n 1 | cut -d: -f1)
	check "$kind: down returns 0" in_ns "$NS" "$CENGINE" down "$CONF"
	check_eq "$kind: the ruleset after down is the one before up" "$before" "$(fw_ruleset "$NS")"
	# killed right after journalling the first host chain, before any rule: down finds none of its rules
	rc=$( (CENGINE_DEBUG_KILL_AT=${h:-0} up_in "$NS" "$CONF"; echo $?) 2>/dev/null)
	check_eq "$kind: an up killed after journalling a host chain died of the kill" 137 "$rc"
	check "$kind: down after that crash returns 0" in_ns "$NS" "$CENGINE" down "$CONF"
	check_eq "$kind: the ruleset after that down is the one before up" "$before" "$(fw_ruleset "$NS")"
	# killed once the rules are in (the journal's forward line comes after the batch): down from the journal
	rc=$( (CENGINE_DEBUG_KILL_AT=${k:-0} up_in "$NS" "$CONF"; echo $?) 2>/dev/null)
	check_eq "$kind: an up killed after its rules were made died of the kill" 137 "$rc"
	check "$kind: its rules are there after the kill" eval "fw_ruleset '$NS' | grep -q 'cengine:$PROJECT:hostfw'"
	check "$kind: down after the crash returns 0" in_ns "$NS" "$CENGINE" down "$CONF"
	check_eq "$kind: the ruleset after the crash's down is the one before up" "$before" "$(fw_ruleset "$NS")"
	# the same kill, then /run wiped (no journal left): gc finds the rules by their mark
	rc=$( (CENGINE_DEBUG_KILL_AT=${k:-0} up_in "$NS" "$CONF"; echo $?) 2>/dev/null)
	flock -w 10 "$CENGINE_STATE_DIR/$PROJECT.lock" true 2>/dev/null
	rm -rf "${CENGINE_STATE_DIR:?}"/*
	in_ns "$NS" "$CENGINE" gc --prefix "$PROJECT" >"$WORK/gc.out" 2>&1
	check "$kind: killed, /run wiped: gc returns 0" test $? = 0 -a "$rc" = 137
	check "$kind: gc says it removed the rules in $chain" \
		grep -q "^removed $PROJECT: host firewall rules in $chain\$" "$WORK/gc.out"
	check_eq "$kind: the ruleset after gc is the one before up" "$before" "$(fw_ruleset "$NS")"
}

# iptables-legacy without libip4tc and libip6tc: up refuses, one line, nothing made; its commands,
# run, and firewall = "off" work.
legacy_nolib() {
	local before fix
	before=$(fw_ruleset "$NS")
	LD_LIBRARY_PATH=$(no_libiptc) up_in "$NS" "$CONF"
	check "legacy: up fails" test $? != 0
	check_eq "legacy: it says why in one line" 1 "$(wc -l <"$WORK/up.out")"
	check "legacy: the line names the host setting and the missing libraries" \
		grep -q 'iptables-legacy filter FORWARD policy DROP.*libip4tc/libip6tc' "$WORK/up.out"
	check_eq "legacy: nothing made: no bridge, no state" "" \
		"$(in_ns "$NS" ip -o link show "$BRIDGE" 2>/dev/null; ls "$CENGINE_STATE_DIR/$PROJECT" 2>/dev/null)"
	check_eq "legacy: the ruleset is as before" "$before" "$(fw_ruleset "$NS")"
	fix=$(sed -n 's/.*run `\([^`]*\)` and set firewall = "off"$/\1/p' "$WORK/up.out")
	check "legacy: the line gives the commands that fix it, for both bridges" \
		grep -q "for b in $BRIDGE ${BRIDGE}p; do" <<<"$fix"
	check "legacy: the line's commands run" in_ns "$NS" sh -e -c "$fix"
	before=$(fw_ruleset "$NS")
	up_in "$NS" "$OFF"
	check "legacy: with them and firewall = off, up returns 0" test $? = 0
	works legacy "$OFF"
	check "legacy: down returns 0" in_ns "$NS" "$CENGINE" down "$OFF"
	check_eq "legacy: the ruleset after down is the one before up" "$before" "$(fw_ruleset "$NS")"
}

for kind in docker ufw firewalld legacy; do
	NS=tf$$$kind UPNS=tu$$$kind
	fw_netns "$NS"
	fw_upstream "$NS" "$UPNS" "$U"
	at_exit "for c in '$CONF' '$OFF'; do nsenter --net=/run/netns/$NS '$CENGINE' down \"\$c\" --timeout 1 >/dev/null 2>&1; done"
	"fw_$kind" "$NS" || bail "cannot set up the $kind firewall"
	off_drops "$kind"
	case $kind in
	docker) managed docker "ip filter DOCKER-USER" "nft list chain ip filter DOCKER-USER" ;;
	ufw) managed ufw "ip filter FORWARD" "nft list chain ip filter FORWARD" ;;
	firewalld) managed firewalld "inet firewalld filter_FORWARD" "nft list chain inet firewalld filter_FORWARD" ;;
	legacy) managed iptables-legacy "iptables-legacy filter DOCKER-USER" iptables-legacy-save
		legacy_nolib ;;
	esac
done
finish
