#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_links.sh: point-to-point links between containers: names after the network interfaces,
# addresses, a 10mbit rate (tbf) measured at the receiver, and netem delay/loss where the kernel has netem.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

setup_project links
own_rootfs

# conf FILE EXTRA_LINKS: a and b on one bridge, joined by a 10mbit link (eth1) and EXTRA_LINKS.
conf() {
	write_conf "$1" "" "links = (
  { a = \"a\"; b = \"b\"; a_ip = \"10.254.0.1/30\"; b_ip = \"10.254.0.2/30\"; rate = \"10mbit\"; }$2
);" <<CONF
  { name = "a"; ip = "$NET.2"; }, { name = "b"; ip = "$NET.3"; }
CONF
}

conf "$CONF" ""
before=$(snapshot "$CONF")
check "up with a link returns 0" "$CENGINE" up "$CONF"
check_eq "a has lo eth0 eth1 (link after the network interface)" "lo eth0 eth1" \
	"$(x a -- ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | paste -sd' ')"
check_eq "a's link end has a_ip" "10.254.0.1/30" "$(x a -- ip -o -4 addr show eth1 | awk '{print $4}')"
check_eq "b's link end has b_ip" "10.254.0.2/30" "$(x b -- ip -o -4 addr show eth1 | awk '{print $4}')"
check "a pings b over the link" x a -- ping -c 1 -W 2 10.254.0.2
check "the link is a veth whose peer is in another netns" sh -c "nsenter -t $(pid_of "$CONF" a) -n $IP -d -o link show eth1 | grep -q 'link-netns.*veth'"
check_eq "b's link end has the MAC derived from b_ip" "02:ce:0a:fe:00:02" \
	"$(nsenter -t "$(pid_of "$CONF" b)" -n $IP -o link show eth1 | grep -o 'link/ether [^ ]*' | cut -d' ' -f2)"
check_eq "a has a permanent neighbour entry for b's end, that MAC (no ARP over the link)" \
	"10.254.0.2 lladdr 02:ce:0a:fe:00:02 PERMANENT" \
	"$(nsenter -t "$(pid_of "$CONF" a)" -n $IP neigh show dev eth1 | sed 's/ *$//')"
check "no host link carries the link's address" sh -c "! ip -o -4 addr show | grep -q '10\.254\.0\.[12]/30'"
check "a tbf qdisc limits a's link end" sh -c "'$CENGINE' exec '$CONF' a -- tc qdisc show dev eth1 | grep -q '^qdisc tbf'"
check "the bridge interface has no qdisc of ours" sh -c "! '$CENGINE' exec '$CONF' a -- tc qdisc show dev eth0 | grep -q -e tbf -e netem"

# listening PORT: b has a TCP socket listening on PORT (state 0A in /proc/net/tcp or tcp6).
listening() { x b -- cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p=":$(printf %04X "$1")" '$2 ~ p "$" && $4 == "0A" { f = 1 } END { exit !f }'; }
# rx IFACE: the bytes b's IFACE has received (a kernel counter).
rx() { x b -- cat "/sys/class/net/$1/statistics/rx_bytes"; }
# flowing IFACE FROM: b's IFACE has received 128 KiB more than FROM: the sender runs, past tbf's burst.
flowing() { [ $(($(rx "$1") - $2)) -ge 131072 ]; }

# rate_kbit IFACE ADDR PORT: a sends to b's ADDR without pause; once it flows, b's IFACE rx_bytes
# counted twice 1.5 s apart (kernel counters: nothing is stored). Prints kbit/s.
rate_kbit() {
	local t0 t1 b0 b1
	x b -- sh -c "sleep 20 | nc -l -p $3 >/dev/null 2>&1 &"
	wait_for 10 listening "$3" || diag "nothing listens on b's port $3 after 10 s" >&2
	b0=$(rx "$1")
	x a -- sh -c "timeout 5 nc $2 $3 </dev/zero >/dev/null 2>&1 &"
	wait_for 3 flowing "$1" "$b0" || diag "no data reaches b's $1 after 3 s" >&2
	t0=$(date +%s%N); b0=$(rx "$1")
	sleep 1.5	# the measuring window
	t1=$(date +%s%N); b1=$(rx "$1")
	echo $(( (b1 - b0) * 8 * 1000000 / ((t1 - t0) / 1000) / 1000 ))
}
base=$(rate_kbit eth0 "$NET.3" 5002)
kbit=$(rate_kbit eth1 10.254.0.2 5001)
diag "rate 10mbit: measured $kbit kbit/s on the link ($base kbit/s unshaped over the bridge)"
check "rate 10mbit is not exceeded by more than 15% ($kbit kbit/s)" test "$kbit" -le 11500
if [ "$base" -ge 100000 ]; then
	check "rate 10mbit is reached within 15% ($kbit kbit/s)" test "$kbit" -ge 8500
else	# an emulated (TCG) or saturated machine: tbf's timers run late, the floor says nothing of cengine
	skip "rate 10mbit is reached within 15%" "unshaped path reaches only $base kbit/s here"
fi
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing of the project" "$before" "$(snapshot "$CONF")"

# delay and loss need netem
NCONF=$WORK/netem.conf
conf "$NCONF" ',
  { a = "a"; b = "b"; a_ip = "10.254.0.5/30"; b_ip = "10.254.0.6/30"; delay = "50ms"; },
  { a = "a"; b = "b"; a_ip = "10.254.0.9/30"; b_ip = "10.254.0.10/30"; a_loss = "10%"; }'
# without netem in the kernel up must fail in one clear line and leave nothing
if ! out=$("$CENGINE" up "$NCONF" 2>&1) && grep -q "this kernel has no sch_netem" <<<"$out"; then
	check_eq "without netem, up fails with one line naming the interface" "1 1" \
		"$(wc -l <<<"$out") $(grep -c "eth2: this kernel has no sch_netem" <<<"$out")"
	check_eq "and leaves nothing of the project" "$before" "$(snapshot "$NCONF")"
	for t in "RTT over a 50 ms link is 100 +- 10 ms" "10% loss loses 50-150 of 1000 pings (5-15%)"; do
		skip "$t" "this kernel has no sch_netem (CONFIG_NET_SCH_NETEM)"
	done
	finish
fi
CONF=$NCONF
check "up with delay and loss links returns 0" test -z "$out"
check_eq "link ends are eth1 eth2 eth3 in file order" "eth1 10.254.0.1/30|eth2 10.254.0.5/30|eth3 10.254.0.9/30" \
	"$(x a -- ip -o -4 addr show | awk '$2 ~ /^eth[123]$/ {print $2, $4}' | sort | paste -sd'|')"
check "a netem qdisc is the root of a's eth2" sh -c "'$CENGINE' exec '$CONF' a -- tc qdisc show dev eth2 | grep -q '^qdisc netem'"
x a -- ping -c 1 -W 2 10.254.0.6 >/dev/null	# warm-up: the first ping waits for ARP across the delay too
x a -- ping -c 1 -W 2 10.254.0.10 >/dev/null
out=$(x a -- ping -c 20 -i 0.05 -W 2 10.254.0.6)
rtt=$(ping_avg "$out"); diag "delay 50ms each way: measured RTT $rtt ms"
check "RTT over a 50 ms link is 100 +- 10 ms ($rtt ms)" in_range "$rtt" 90 110
# 10% loss on a's egress drops each echo request on its own: of n pings, lost ~ Binomial(n, 0.1).
# Over 1,000 pings (mean 100, sd 9.5) a correct build loses fewer than 50 or more than 150 with
# probability 2.8e-7 (the exact binomial sum): once in 3.5 million runs. (The band 5-15% over
# 200 pings failed 1.3% of correct runs.) 1,000 pings 10 ms apart take 10 s.
out=$(x a -- ping -c 1000 -i 0.01 -W 1 10.254.0.10)
read -r sent received <<<"$(ping_counts "$out")"
lost=$((${sent:-0} - ${received:-0}))
diag "loss 10% on a's egress: $lost of $sent pings lost"
loss_in_band() { [ "$sent" = 1000 ] && in_range "$lost" 50 150; }
check "10% loss loses 50-150 of 1000 pings (5-15%): $lost of $sent lost" loss_in_band
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves nothing of the project" "$before" "$(snapshot "$CONF")"
finish
