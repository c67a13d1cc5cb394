#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_own.sh: object ownership: another project (a second file of another user of the host, up, crashed or
# with a forged journal) must not delete or change any link, cgroup, state dir or nft table of project A.
. "$(dirname "$0")/escape_lib.sh"

use_probe OWN_PROBE probe_own
need nft "no nft binary (to see project A's nat table)"
setup_project own
subnets NET_E NET_O NET_V NET_T
ROOTFS=$(busybox_rootfs)

# Project A, the victim: "u" with a user namespace, "r" without. Its project and network names are chosen so
# that cengine's old default bridge name "ce-<project>-<network>" is also that of project o<pid>, network n-x.
A=o$$-n
CONF_E=$WORK/e.conf CONF_O=$WORK/o.conf CONF_V=$WORK/v.conf CONF_T=$WORK/t.conf
PROJECT=$A NETWORKS="{ name = \"x\"; subnet = \"$NET.0/24\"; gateway = \"$NET.1\"; nat = true; }" \
	write_conf "$CONF" 'memory = "64M"; pids = 64;' <<CONF
  { name = "u"; ip = "$NET.2"; },
  { name = "r"; ip = "$NET.3"; userns = false; }
CONF
plan=$("$CENGINE" check "$CONF") || bail "check refuses A: $plan"
BR_A=$(sed -n 's/^network x: bridge \([^,]*\),.*/\1/p' <<<"$plan")
declare -A VETH IDX
while read -r c v; do VETH[$c]=$v; done < <(awk '/^container /{c=$2; sub(":", "", c)} /host veth/{v=$NF; sub(/\)$/, "", v); print c, v}' <<<"$plan")
[ -n "$BR_A" ] && [ -n "${VETH[u]}" ] && [ -n "${VETH[r]}" ] || bail "cannot read A's links from: $plan"

# The attackers. E names A's bridge. O's default bridge had A's old name. V's containers are named (FNV-1a
# inverted by the probe) so that the old 32-bit veth hash gives A's veth names. T's names meet nobody's.
PROJECT=o$$-e NETWORKS="{ name = \"lan\"; subnet = \"$NET_E.0/24\"; gateway = \"$NET_E.1\"; bridge = \"$BR_A\"; }" \
	write_conf "$CONF_E" <<<"{ name = \"y\"; ip = \"$NET_E.2\"; }"
PROJECT=o$$ NETWORKS="{ name = \"n-x\"; subnet = \"$NET_O.0/24\"; gateway = \"$NET_O.1\"; }" \
	write_conf "$CONF_O" <<<"{ name = \"y\"; ip = \"$NET_O.2\"; }"
V=o$$-v
VU=$("$PROBE" collide "$A" u 0 "$V") && VR=$("$PROBE" collide "$A" r 0 "$V") || bail "no FNV collision found"
PROJECT=$V NETWORKS="{ name = \"lan\"; subnet = \"$NET_V.0/24\"; gateway = \"$NET_V.1\"; bridge = \"${BRIDGE}v\"; }" \
	write_conf "$CONF_V" <<CONF
  { name = "$VU"; ip = "$NET_V.2"; },
  { name = "$VR"; ip = "$NET_V.3"; }
CONF
T=o$$-t
PROJECT=$T NETWORKS="{ name = \"lan\"; subnet = \"$NET_T.0/24\"; gateway = \"$NET_T.1\"; bridge = \"${BRIDGE}t\"; }" \
	write_conf "$CONF_T" <<<"{ name = \"y\"; ip = \"$NET_T.2\"; }"
mapfile -t VETH_V < <("$CENGINE" check "$CONF_V" | sed -n 's/.*(host veth \(.*\))$/\1/p')
VETH_T=$("$CENGINE" check "$CONF_T" | sed -n 's/.*(host veth \(.*\))$/\1/p')
check_eq "the old names collide: O's default bridge was A's" "$("$PROBE" old-bridge "$A" x)" "$("$PROBE" old-bridge "o$$" n-x)"
check_eq "the old names collide: V's veths were A's" \
	"$("$PROBE" old-veth "$A" u 0) $("$PROBE" old-veth "$A" r 0)" "$("$PROBE" old-veth "$V" "$VU" 0) $("$PROBE" old-veth "$V" "$VR" 0)"
diag "A: bridge $BR_A, veths ${VETH[u]} ${VETH[r]}; V: veths ${VETH_V[*]}; O: $("$CENGINE" check "$CONF_O" | sed -n 's/^network n-x: bridge \([^,]*\),.*/\1/p')"

before=$(snapshot "$CONF")
for f in "$CONF_E" "$CONF_O" "$CONF_V" "$CONF_T"; do eval "before_$(basename "$f" .conf)=\$(snapshot \"\$f\")"; done

# state_of CONTAINER: "intact" when A's bridge and the container's host veth are the links A made (same
# ifindex, A's mark), ps says running, and the container pings the gateway; else what broke.
state_of() {
	local c=$1
	[ "$(cat "/sys/class/net/$BR_A/ifindex" 2>/dev/null)" = "$BR_IDX" ] || { echo bridge-gone; return; }
	[ "$(cat "/sys/class/net/${VETH[$c]}/ifindex" 2>/dev/null)" = "${IDX[$c]}" ] || { echo veth-gone; return; }
	[ "$("$CENGINE" ps "$CONF" | awk -v n="$c" '$2 == n { print $3 }')" = running ] || { echo not-running; return; }
	x "$c" -- ping -c 1 -W 2 "$NET.1" </dev/null >/dev/null 2>&1 || { echo no-ping; return; }
	[ -d "/run/cengine/$A/$c" ] || { echo state-gone; return; }
	nft list table ip "cengine-$A" >/dev/null 2>&1 || { echo nat-gone; return; }
	echo intact
}

# kill_up CONF K: up of CONF SIGKILLed right after its K-th journal line; prints up's exit status.
kill_up() { (CENGINE_DEBUG_KILL_AT=$2 "$CENGINE" up "$1" >/dev/null 2>&1; echo $?) 2>/dev/null; }
last_line() { tail -n 1 "/run/cengine/$1/journal" 2>/dev/null; }
# said WHAT: diag the attacker's output (what the attack saw)
said() { diag "$1: $(tr '\n' ' ' <"$WORK/out" | head -c 600)"; }

# --- before A is up: E and O crash after journalling their bridge (line 3: filter, net, bridge), before making it
check_eq "E killed after journalling A's bridge name" "137 bridge $BR_A" "$(kill_up "$CONF_E" 3) $(last_line "o$$-e")"
check_eq "O killed after journalling its bridge" "137 bridge" "$(kill_up "$CONF_O" 3) $(last_line "o$$" | cut -d' ' -f1)"

# record_a: the indexes of the links A made (its state_of compares against them)
record_a() {
	BR_IDX=$(cat "/sys/class/net/$BR_A/ifindex" 2>/dev/null)
	IDX[u]=$(cat "/sys/class/net/${VETH[u]}/ifindex" 2>/dev/null)
	IDX[r]=$(cat "/sys/class/net/${VETH[r]}/ifindex" 2>/dev/null)
}
# restore_a: after an attempt broke A (cengine before the fix), A anew, so that the next attempt starts from an intact A
restore_a() {
	"$CENGINE" down "$CONF" --timeout 1 >/dev/null 2>&1
	"$CENGINE" up "$CONF" >/dev/null 2>&1 || diag "A does not come up again"
	record_a
}

check "A up" "$CENGINE" up "$CONF"
record_a
check "A's containers ping each other" x u -- ping -c 1 -W 2 "$NET.3"
check_eq "A's bridge carries A's mark (ip link alias)" "cengine:$A:bridge" "$(cat "/sys/class/net/$BR_A/ifalias")"
check_eq "A's veth carries A's mark" "cengine:$A:veth" "$(cat "/sys/class/net/${VETH[u]}/ifalias")"

attempt_interrupted_same() {
	"$CENGINE" down "$CONF_E" >"$WORK/out" 2>&1
	check_eq "interrupted_same: down E exits 0" 0 $?
	said "down E"
	check "interrupted_same: down E says A's bridge is not E's" grep -q "$BR_A.*$A" "$WORK/out"
}

attempt_interrupted_old() {
	"$CENGINE" down "$CONF_O" >"$WORK/out" 2>&1
	check_eq "interrupted_old: down O exits 0" 0 $?
	said "down O"
}

attempt_same_bridge() {
	"$CENGINE" up "$CONF_E" >"$WORK/out" 2>&1
	check_eq "same_bridge: up E is refused as bad input (2)" 2 $?
	said "up E"
	check "same_bridge: one line naming the bridge and its project" grep -q "^$CONF_E:[0-9]*: .*$BR_A.*project $A" "$WORK/out"
	check_eq "same_bridge: E has no state" "" "$(ls /run/cengine/o$$-e 2>/dev/null)"
}

attempt_taken_veth() {
	local idx
	ip link add "$VETH_T" type bridge || { not_ok "taken_veth: make a link named $VETH_T"; return; }
	at_exit "ip link del '$VETH_T' 2>/dev/null"
	idx=$(cat "/sys/class/net/$VETH_T/ifindex")
	"$CENGINE" up "$CONF_T" >"$WORK/out" 2>&1
	check_eq "taken_veth: up T is refused as bad input (2)" 2 $?
	said "up T"
	check "taken_veth: one line naming the link" grep -q "^$CONF_T:[0-9]*: .*$VETH_T.*not made by cengine" "$WORK/out"
	check_eq "taken_veth: the link that was there stays" "$idx" "$(cat "/sys/class/net/$VETH_T/ifindex" 2>/dev/null)"
	ip link del "$VETH_T"
}

attempt_old_veth() {
	check "old_veth: V's veth names are not A's" test "${VETH_V[*]}" != "${VETH[u]} ${VETH[r]}"
	"$CENGINE" up "$CONF_V" >"$WORK/out" 2>&1
	check_eq "old_veth: up V" 0 $?
	said "up V"
	check "old_veth: down V" "$CENGINE" down "$CONF_V"
}

attempt_killed_each_step() {
	local k rc down_rc bad="" downs=0
	for k in $(seq 1 60); do
		rc=$(kill_up "$CONF_V" "$k")
		"$CENGINE" down "$CONF_V" --timeout 1 >/dev/null 2>&1
		down_rc=$?
		[ "$rc" = 137 ] || break
		[ "$down_rc" = 0 ] && downs=$((downs + 1))
		[ "$(state_of u) $(state_of r)" = "intact intact" ] || { bad="$bad $k"; restore_a; }
	done
	diag "V killed after each of $((k - 1)) journal steps; A broken after steps:${bad:- none}"
	check "killed_each_step: V's up was killed after more than 5 steps" test "$k" -gt 6
	check_eq "killed_each_step: every down V exits 0" "$((k - 1))" "$downs"
}

attempt_forged_journal() {
	local j=/run/cengine/$T/journal n pid start
	check "forged_journal: up T" "$CENGINE" up "$CONF_T"
	n=$(wc -l <"$j")
	pid=$(pid_of "$CONF" u)
	start=$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)
	cat >>"$j" <<JOURNAL
pid y $pid $start
pid u $pid $start
bridge $BR_A
ifindex $BR_A $BR_IDX
veth ${VETH[u]}
ifindex ${VETH[u]} ${IDX[u]}
veth ${VETH[r]}
cgroup cengine/$A/u
cgroup cengine/$A
dir /run/cengine/$A/u
dir /run/cengine/$T/../$A/r
nat $A
unit cengine-$A.scope
JOURNAL
	"$CENGINE" down "$CONF_T" >"$WORK/out" 2>&1
	check_eq "forged_journal: down T reports what it refused (1)" 1 $?
	said "down T"
	check "forged_journal: it names a refused line" grep -q "not this project's" "$WORK/out"
	check "forged_journal: T's own veth is gone" sh -c "! ip link show '$VETH_T'"
	head -n "$n" "$j" >"$j.tmp" && mv "$j.tmp" "$j"
	check "forged_journal: down T without the forged lines" "$CENGINE" down "$CONF_T"
}

# attempt, then what A's container with a user namespace (u) and without (r, userns = false) must be after it
EXPECT="
interrupted_same  intact  intact  E named A's bridge, was killed after journalling it before A was up; down E
interrupted_old   intact  intact  O's old default bridge name was A's (o<pid>/n-x = o<pid>-n/x), same crash; down O
same_bridge       intact  intact  up E, whose bridge = A's bridge
taken_veth        intact  intact  up T while a link not made by cengine has T's planned veth name
old_veth          intact  intact  up and down V, whose containers had A's veth names under the old hash
killed_each_step  intact  intact  V killed after each journal step, each time down V
forged_journal    intact  intact  T's journal lists A's init, bridge and veths (and ifindexes), cgroups, state dirs, nat, systemd scope
"
diag "$(printf '%-17s %-12s %-12s %s' attempt userns no-userns what)"
while read -r name want_u want_r what; do
	[ -n "$name" ] || continue
	"attempt_$name"
	got_u=$(state_of u) got_r=$(state_of r)
	diag "$(printf '%-17s %-12s %-12s %s' "$name" "$got_u" "$got_r" "$what")"
	check_eq "$name: A's container u (user namespace) is $want_u" "$want_u" "$got_u"
	check_eq "$name: A's container r (userns = false) is $want_r" "$want_r" "$got_r"
	[ "$got_u $got_r" = "intact intact" ] || restore_a
done <<<"$EXPECT"

check "A down" "$CENGINE" down "$CONF"
check_eq "A's down leaves the host as before" "$before" "$(snapshot "$CONF")"
for f in "$CONF_E" "$CONF_O" "$CONF_V" "$CONF_T"; do
	b=before_$(basename "$f" .conf)
	check_eq "nothing of $(basename "$f" .conf) is left" "${!b}" "$(snapshot "$f")"
done
finish
