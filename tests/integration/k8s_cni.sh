#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# k8s_cni.sh: CNI replay of `cengine export kubernetes`: the real plugins (Debian's containernetworking-plugins, what
# Multus delegates to) run the exact chain of each emitted NetworkAttachmentDefinition with each pod's annotation
# (tests/k8s/cni.js) in network namespaces made here; the pods get the addresses, MACs and rate a real `up` of the
# same file gives, the init container's script (routes, netem, a link's rate and MAC) and the forward sysctl replayed,
# meshnet's link made as its Topology says; the pods ping across the router and over the link.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root
command -v node >/dev/null || unavailable "no node (apt-get install nodejs)"
[ -d "$TOP_SRCDIR/tests/k8s/node_modules/js-yaml" ] || unavailable "no tests/k8s/node_modules (npm ci --prefix tests/k8s)"
[ -x /usr/lib/cni/bridge ] || unavailable "no /usr/lib/cni/bridge (apt-get install containernetworking-plugins)"

setup_project k8scni
N1=$NET
subnets N2 N3
own_rootfs
PODS="client router server"
# netem (delay, jitter, loss) where the kernel has it; tbf (rate) always
ip netns add "k8s$$-probe" && at_exit "ip netns del 'k8s$$-probe' 2>/dev/null"
NETEM=; WAN_DELAY=
if nsenter --net="/run/netns/k8s$$-probe" tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then
	NETEM='delay = "20ms"; jitter = "2ms"; loss = "1%";' WAN_DELAY='delay = "5ms";'
fi
# the real up's bridges end in l and w, the pods' (the CNI bridge plugin's) in m and x: both exist at once
net() { echo "{ name = \"lan\"; subnet = \"$N1.0/24\"; bridge = \"${BRIDGE}$1\"; }, { name = \"wan\"; subnet = \"$N2.0/24\"; bridge = \"${BRIDGE}$2\"; }"; }
NETWORKS=$(net l w)
write_conf "$CONF" <<CONF
  { name = "client"; interfaces = ( { network = "lan"; ip = "$N1.2"; rate = "8mbit"; } );
    routes = ( { to = "$N2.0/24"; via = "$N1.254"; } ); },
  { name = "router"; forward = true;
    interfaces = ( { network = "lan"; ip = "$N1.254"; }, { network = "wan"; ip = "$N2.254"; $WAN_DELAY } ); },
  { name = "server"; interfaces = ( { network = "wan"; ip = "$N2.2"; } );
    routes = ( { to = "default"; via = "$N2.254"; } ); }
CONF
# a point-to-point link (meshnet on the cluster), impaired, one end with its own MAC
cat >>"$CONF" <<CONF
links = ( { a = "client"; b = "server"; a_ip = "$N3.1/30"; b_ip = "$N3.2/30"; b_mac = "02:00:00:00:00:01";
            $NETEM rate = "10mbit"; } );
CONF
KCONF=$WORK/k8s.conf
sed -e "s|rootfs = \"$ROOTFS\";|image = \"docker.io/library/busybox:1.36\";|" -e "s|${BRIDGE}l|${BRIDGE}m|; s|${BRIDGE}w|${BRIDGE}x|" "$CONF" >"$KCONF"

# what a pod or container shows of its interface: "ADDRESS/P MAC", and the rate of a tbf on a device
iface_of() { nsenter --net="$1" "$IP" -o -4 addr show dev "$2" | awk '{print $4}' | tr '\n' ' '; nsenter --net="$1" "$IP" -o link show dev "$2" | sed -n 's|.* link/ether \([^ ]*\) .*|\1|p'; }
qdiscs() { nsenter --net="$1" tc qdisc show dev "$2" | sed 's/ refcnt [0-9]*//' | sort | tr '\n' ';'; }
tbf_rate() { ${1:+nsenter --net="$1"} tc qdisc show dev "$2" | sed -n 's/.* tbf .*rate \([0-9A-Za-z]*\) .*/\1/p'; }

# --- the real up: what each container's interfaces are
check "up of the file returns 0" "$CENGINE" up "$CONF" --quiet
declare -A REAL
for c in $PODS; do
	pid=$(pid_of "$CONF" "$c")
	for i in 0 1; do
		[ "$c" = router ] || [ "$i" = 0 ] || continue
		REAL[$c.$i]=$(iface_of "/proc/$pid/ns/net" "eth$i")
	done
done
REAL_RATE=$(tbf_rate "/proc/$(pid_of "$CONF" client)/ns/net" eth0)
# what tc shows on the impaired interfaces: router's eth1 (wan), the link's ends (eth1 of client and server)
declare -A QDISC
for ci in router:1 client:1 server:1; do
	QDISC[$ci]=$(qdiscs "/proc/$(pid_of "$CONF" "${ci%:*}")/ns/net" "eth${ci#*:}")
done
REAL_LINK=$(iface_of "/proc/$(pid_of "$CONF" server)/ns/net" eth1)
[ -n "${QDISC[client:1]}" ] || bail "up made no qdisc on the link"
check_eq "up shapes client's eth0 as the file says" 8Mbit "$REAL_RATE"
"$CENGINE" down "$CONF" >/dev/null 2>&1

# --- the export, checked against the schemas, then replayed pod by pod
check "export kubernetes -o DIR returns 0" "$CENGINE" export kubernetes "$KCONF" -o "$WORK/k8s"
cat "$WORK"/k8s/*.yaml >"$WORK/all.yaml"
check "every manifest is valid" node "$TOP_SRCDIR/tests/k8s/validate.js" "$TOP_SRCDIR/tests/data/k8s" "$WORK/all.yaml"
at_exit "ip link del '${BRIDGE}m' 2>/dev/null; ip link del '${BRIDGE}x' 2>/dev/null"	# the plugin's bridges, last
for c in $PODS; do
	ns=k8s$$-$c
	ip netns add "$ns" || bail "ip netns add $ns"
	at_exit "ip netns del '$ns' 2>/dev/null"
	nsenter --net="/run/netns/$ns" "$IP" link set lo up
	at_exit "node '$TOP_SRCDIR/tests/k8s/cni.js' del '$WORK/all.yaml' '$c' '/run/netns/$ns' '$WORK/$c.cni' >/dev/null 2>&1"
	check "CNI ADD of pod $c's networks" node "$TOP_SRCDIR/tests/k8s/cni.js" add "$WORK/all.yaml" "$c" "/run/netns/$ns" "$WORK/$c.cni"
done
for c in $PODS; do
	for i in 0 1; do
		[ "$c" = router ] || [ "$i" = 0 ] || continue
		check_eq "pod $c's net$i has the address and MAC of up's eth$i" "${REAL[$c.$i]}" "$(iface_of "/run/netns/k8s$$-$c" "net$i")"
	done
done
# the bandwidth plugin shapes the client's egress on the ifb its host veth redirects to
hostveth=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1])).net0; console.log(r.interfaces.find((i)=>!i.sandbox && i.name!==process.argv[2]).name)' "$WORK/client.cni" "${BRIDGE}m")
ifb=$(tc filter show dev "$hostveth" parent ffff: 2>/dev/null | sed -n 's/.*Redirect to device \([^ )]*\).*/\1/p' | head -n 1)
check_eq "the pod's egress rate is up's (bandwidth plugin, ifb $ifb)" "$REAL_RATE" "$(tbf_rate "" "$ifb")"

# --- what meshnet does with the Topologies: a veth pair per uid, named and addressed as each side says
NODE_PATH="$TOP_SRCDIR/tests/k8s/node_modules" node -e 'const y=require("js-yaml"); for (const t of y.loadAll(require("fs").readFileSync(process.argv[1],"utf8")).filter((d)=>d&&d.kind==="Topology")) for (const l of t.spec.links) console.log(l.uid, t.metadata.name, l.local_intf, l.local_ip, l.peer_pod, l.peer_intf)' "$WORK/all.yaml" >"$WORK/links"
check_eq "one Topology entry per link end" 2 "$(wc -l <"$WORK/links")"
while read -r uid pod intf ip peer pintf; do
	[[ "$pod" < "$peer" ]] && ip link add "k8s$$u$uid" type veth peer name "k8s$$v$uid" &&
		ip link set "k8s$$u$uid" netns "k8s$$-$pod" name "$intf" && ip link set "k8s$$v$uid" netns "k8s$$-$peer" name "$pintf"
	nsenter --net="/run/netns/k8s$$-$pod" "$IP" addr add "$ip" dev "$intf"
	nsenter --net="/run/netns/k8s$$-$pod" "$IP" link set "$intf" up
done <"$WORK/links"

# --- what the kubelet and the init container do: the forward sysctl, the script (MAC, tc, routes)
nsenter --net="/run/netns/k8s$$-router" sysctl -qw net.ipv4.ip_forward=1
for c in $PODS; do
	script=$(NODE_PATH="$TOP_SRCDIR/tests/k8s/node_modules" node -e 'const y=require("js-yaml"); const p=y.loadAll(require("fs").readFileSync(process.argv[1],"utf8")).find((d)=>d&&d.kind==="Pod"&&d.metadata.name===process.argv[2]); const i=(p.spec.initContainers||[])[0]; if(i) process.stdout.write(i.command[2])' "$WORK/all.yaml" "$c")
	[ -z "$script" ] || check "pod $c's init container script runs" nsenter --net="/run/netns/k8s$$-$c" sh -ec "$script"
done
[ -n "$NETEM" ] || skip "netem on router's wan and on the link" "this kernel has no sch_netem (CONFIG_NET_SCH_NETEM)"
for ci in router:1 client:1 server:1; do
	check_eq "pod ${ci%:*}'s net${ci#*:} has the qdiscs of up's eth${ci#*:}" "${QDISC[$ci]}" "$(qdiscs "/run/netns/k8s$$-${ci%:*}" "net${ci#*:}")"
done
check_eq "pod server's link end has the address and MAC of up's" "$REAL_LINK" "$(iface_of "/run/netns/k8s$$-server" net1)"
ping1() { nsenter --net="/run/netns/k8s$$-$1" ping -c 1 -W 2 "$2"; }
check "pod client pings the router on lan" ping1 client "$N1.254"
check "pod server pings the router on wan" ping1 server "$N2.254"
check "pod client pings server through the router" ping1 client "$N2.2"
check "pod client pings server over the link" ping1 client "$N3.2"
check_eq "the pod's route is the file's" "$N2.0/24 via $N1.254" "$(nsenter --net="/run/netns/k8s$$-client" "$IP" -4 route show "$N2.0/24" | awk '{print $1, $2, $3}')"
finish
