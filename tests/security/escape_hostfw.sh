#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_hostfw.sh: the allow rules cengine puts into a host's own firewall (a Docker host on iptables-nft
# and one on iptables-legacy, each imitated in a netns) are narrow and are the project's alone: they name
# only its own bridges; a container of a network without nat still reaches nothing outside it; down
# deletes them and not the host's rules that look alike (another project's mark, a rule on the same
# bridge name without one); another project's down, with a journal forged to name A's chains, leaves A's
# rules in place and A working.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../integration/fw_lib.sh"
require_root
fw_tools

setup_project fwsec
subnets U
ROOTFS=$(busybox_rootfs)
export CENGINE_STATE_DIR=$WORK/state
NETWORKS="{ name = \"lan\"; subnet = \"$NET.0/24\"; gateway = \"$NET.1\"; bridge = \"$BRIDGE\"; }"
write_conf "$CONF" <<CONF
  { name = "a"; ip = "$NET.2"; },
  { name = "b"; ip = "$NET.3"; }
CONF
T=t-fwsec-t$$
CONF_T=$WORK/t.conf
subnets NET_T
PROJECT=$T NETWORKS="{ name = \"lan\"; subnet = \"$NET_T.0/24\"; gateway = \"$NET_T.1\"; bridge = \"${BRIDGE}t\"; }" \
	write_conf "$CONF_T" <<CONF
  { name = "x"; ip = "$NET_T.2"; }
CONF
CONFS=()

# kind TOOL CHAIN LOOKALIKE...: the host kind whose tool (nft / iptables-legacy) shows CHAIN, with the
# host's own rules LOOKALIKE (commands run in the netns before up)
attempts() {
	local kind=$1 show=$2 before rules
	shift 2
	for cmd in "$@"; do in_ns "$NS" sh -c "$cmd" || bail "$kind: cannot add the host's rule: $cmd"; done
	before=$(fw_ruleset "$NS")
	check "$kind: A up" in_ns "$NS" "$CENGINE" up "$CONF" --quiet
	rules=$(in_ns "$NS" sh -c "$show" | grep "cengine:$PROJECT:hostfw")
	check "$kind: A has allow rules" test -n "$rules"
	check_eq "$kind: each names A's own bridge, and no other interface" "" \
		"$(grep -oE '(iifname|oifname|-i|-o) "?[^ "]+' <<<"$rules" | awk '{gsub(/"/, "", $2); print $2}' | grep -vx "$BRIDGE")"
	check "$kind: a reaches b" "$CENGINE" exec "$CONF" a -- ping -c 1 -W 2 "$NET.3"
	check "$kind: a (no nat) does not reach the upstream behind the host" \
		sh -c "! '$CENGINE' exec '$CONF' a -- ping -c 1 -W 1 '$U.2'"
	# T, another project, with lines that name A's chains and A's project in its journal
	check "$kind: T up" in_ns "$NS" "$CENGINE" up "$CONF_T" --quiet
	while read -r fam table chain; do
		echo "hostfw $PROJECT $fam $table $chain" >>"$CENGINE_STATE_DIR/$T/journal"
		echo "hostfw $T $fam $table $chain" >>"$CENGINE_STATE_DIR/$T/journal"
	done < <(sed -n "s/^hostfw $PROJECT //p" "$CENGINE_STATE_DIR/$PROJECT/journal")
	in_ns "$NS" "$CENGINE" down "$CONF_T" >"$WORK/out" 2>&1
	check_eq "$kind: down T refuses the line with A's name (exit 1)" 1 $?
	check "$kind: and says so" grep -q "not this project's" "$WORK/out"
	sed -i "/^hostfw $PROJECT /d" "$CENGINE_STATE_DIR/$T/journal"
	check "$kind: down T without it" in_ns "$NS" "$CENGINE" down "$CONF_T"
	check_eq "$kind: A's rules are all still there" "$rules" "$(in_ns "$NS" sh -c "$show" | grep "cengine:$PROJECT:hostfw")"
	check "$kind: a still reaches b" "$CENGINE" exec "$CONF" a -- ping -c 1 -W 2 "$NET.3"
	check "$kind: A down" in_ns "$NS" "$CENGINE" down "$CONF"
	check_eq "$kind: the host's rules that look like A's are still there, and only A's went" "$before" \
		"$(fw_ruleset "$NS")"
}

NS=ts$$nft UPNS=tu$$nft
fw_netns "$NS"
fw_upstream "$NS" "$UPNS" "$U"
at_exit "for c in '$CONF' '$CONF_T'; do nsenter --net=/run/netns/$NS '$CENGINE' down \"\$c\" --timeout 1 >/dev/null 2>&1; done"
fw_docker "$NS"
attempts docker "nft -a list chain ip filter DOCKER-USER" \
	"nft insert rule ip filter DOCKER-USER iifname $BRIDGE oifname $BRIDGE counter comment \\\"cengine:other:hostfw\\\"" \
	"nft insert rule ip filter DOCKER-USER iifname $BRIDGE counter" \
	"nft insert rule ip filter DOCKER-USER counter comment \\\"cengine:$PROJECT:hostfw2\\\""

NS=ts$$leg UPNS=tu$$leg
fw_netns "$NS"
fw_upstream "$NS" "$UPNS" "$U"
at_exit "for c in '$CONF' '$CONF_T'; do nsenter --net=/run/netns/$NS '$CENGINE' down \"\$c\" --timeout 1 >/dev/null 2>&1; done"
fw_legacy "$NS"
attempts legacy "iptables-legacy-save -t filter" \
	"iptables-legacy -I DOCKER-USER -i $BRIDGE -o $BRIDGE -m comment --comment cengine:other:hostfw" \
	"iptables-legacy -I DOCKER-USER -i $BRIDGE" \
	"iptables-legacy -I DOCKER-USER -m comment --comment cengine:$PROJECT:hostfw2"
finish
