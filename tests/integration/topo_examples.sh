#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topo_examples.sh: the topology examples (router, wan, mesh, ipv6, ci/router-check.sh) run as
# written, moved only to this test's rootfs, project names and subnets.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

EX=$TOP_SRCDIR/examples
setup_project ex
subnets N2 N3 N4
P6=fdce:$(printf '%x' $(( ($$ + 1) % 65536 )))
own_rootfs

# move EXAMPLE [SED...]: the example with this test's rootfs and project name, plus the edits
move() {
	local ex=$1; shift
	sed -e "s|/srv/rootfs/demo|$ROOTFS|; s|^name = \"$ex\"|name = \"t-ex$ex-$$\"|" "$@" "$EX/$ex.conf" >"$WORK/$ex.conf"
	register_conf "$WORK/$ex.conf"
}
move router -e "s|10\.1\.0\.|$NET.|g; s|10\.2\.0\.|$N2.|g"
move wan -e "s|10\.10\.1\.|$NET.|g; s|10\.10\.2\.|$N2.|g"
move mesh -e "s|10\.20\.0\.0/16|$N3.0/24|; s|10\.20\.0\.1\"|$N3.1\"|"
move ipv6 -e "s|10\.6\.0\.|$N4.|g; s|fd00:6::|$P6::|g"
# xe EXAMPLE NAME -- CMD...: run CMD in container NAME of the moved EXAMPLE
xe() { local c=$1; shift; "$CENGINE" exec "$WORK/$c.conf" "$@"; }

for ex in router wan mesh ipv6; do
	check "examples/$ex.conf is valid" "$CENGINE" check "$WORK/$ex.conf"
done

# router: through the router, traceroute shows the hop
before=$(snapshot "$WORK/router.conf")
check "router: up" "$CENGINE" up "$WORK/router.conf"
check "router: client pings server by name" xe router client -- ping -c 2 -W 2 server
check_eq "router: traceroute's hops are the router, then the server" "$NET.254 $N2.2" \
	"$(xe router client -- traceroute -n -q 1 -w 2 -m 4 "$N2.2" 2>/dev/null | awk 'NR>1{print $2}' | paste -sd' ')"
check "router: down" "$CENGINE" down "$WORK/router.conf"
check_eq "router: nothing left" "$before" "$(snapshot "$WORK/router.conf")"

# ci/router-check.sh as a CI job runs it: exit 0, and nothing left
mkdir -p "$WORK/ci"
sed -e "s|10\.2\.0\.2|$N2.2|g; s|10\.1\.0\.254|$NET.254|g" "$EX/ci/router-check.sh" >"$WORK/ci/router-check.sh"
out=$(CENGINE=$CENGINE sh "$WORK/ci/router-check.sh" 2>&1); rc=$?
check_eq "ci/router-check.sh exits 0 and says passed" "0 router check: passed" "$rc $(tail -n 1 <<<"$out")"
check_eq "ci/router-check.sh leaves nothing" "$before" "$(snapshot "$WORK/router.conf")"
# and fails (non-zero) when the check cannot pass: the router does not forward
sed -i 's/forward = true;/forward = false;/' "$WORK/router.conf"
CENGINE=$CENGINE sh "$WORK/ci/router-check.sh" >/dev/null 2>&1
check_eq "ci/router-check.sh exits 1 when the router does not forward" 1 "$?"
check_eq "and leaves nothing either" "$before" "$(snapshot "$WORK/router.conf")"

# mesh: 100 containers from one count entry
before=$(snapshot "$WORK/mesh.conf")
check "mesh: up" "$CENGINE" up "$WORK/mesh.conf"
check_eq "mesh: 100 containers run" 100 "$("$CENGINE" ps "$WORK/mesh.conf" | grep -c ' running ')"
check_eq "mesh: node100 has the 100th free address" "$N3.101/24" "$(xe mesh node100 -- ip -o -4 addr show eth0 | awk '{print $4}')"
check "mesh: node1 pings node100 by name" xe mesh node1 -- ping -c 1 -W 2 node100
check "mesh: down" "$CENGINE" down "$WORK/mesh.conf"
check_eq "mesh: nothing left" "$before" "$(snapshot "$WORK/mesh.conf")"

# ipv6: the dual-stack pair
before=$(snapshot "$WORK/ipv6.conf")
check "ipv6: up" "$CENGINE" up "$WORK/ipv6.conf"
check "ipv6: v6a pings v6b over IPv6" xe ipv6 v6a -- ping -6 -c 2 -W 2 "$P6::3"
check "ipv6: down" "$CENGINE" down "$WORK/ipv6.conf"
check_eq "ipv6: nothing left" "$before" "$(snapshot "$WORK/ipv6.conf")"

# wan: 50 ms each way and 2 % loss need netem
if ! out=$("$CENGINE" up "$WORK/wan.conf" 2>&1) && grep -q "this kernel has no sch_netem" <<<"$out"; then
	skip "wan: up and ping across the link" "this kernel has no sch_netem (CONFIG_NET_SCH_NETEM)"
else
	check_eq "wan: up" "" "$out"
	xe wan a1 -- ping -c 1 -W 2 b1 >/dev/null	# warm-up: ARP across the link
	out=$(xe wan a1 -- ping -c 10 -i 0.2 -W 2 b1)
	rtt=$(ping_avg "$out"); diag "wan: a1 -> b1 RTT $rtt ms"
	check "wan: a1 reaches b1 across the link with RTT 90-130 ms ($rtt)" in_range "$rtt" 90 130
	check "wan: down" "$CENGINE" down "$WORK/wan.conf"
fi
finish
