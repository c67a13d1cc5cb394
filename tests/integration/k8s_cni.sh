#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# k8s_cni.sh: CNI replay of `cengine export kubernetes`: the real plugins (Debian's containernetworking-plugins, what
# Multus delegates to) run the exact chain of each emitted NetworkAttachmentDefinition with each pod's annotation
# (tests/k8s/cni.js) in network namespaces made here; the pods get the addresses, MACs and rate a real `up` of the
# same file gives, the init container's script (routes) and the forward sysctl replayed, the pods ping across the router.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root
command -v node >/dev/null || unavailable "no node (apt-get install nodejs)"
[ -d "$TOP_SRCDIR/tests/k8s/node_modules/js-yaml" ] || unavailable "no tests/k8s/node_modules (npm ci --prefix tests/k8s)"
[ -x /usr/lib/cni/bridge ] || unavailable "no /usr/lib/cni/bridge (apt-get install containernetworking-plugins)"

setup_project k8scni
N1=$NET
subnets N2
own_rootfs
PODS="client router server"
# the real up's bridges end in l and w, the pods' (the CNI bridge plugin's) in m and x: both exist at once
net() { echo "{ name = \"lan\"; subnet = \"$N1.0/24\"; bridge = \"${BRIDGE}$1\"; }, { name = \"wan\"; subnet = \"$N2.0/24\"; bridge = \"${BRIDGE}$2\"; }"; }
NETWORKS=$(net l w)
write_conf "$CONF" <<CONF
  { name = "client"; interfaces = ( { network = "lan"; ip = "$N1.2"; rate = "8mbit"; } );
    routes = ( { to = "$N2.0/24"; via = "$N1.254"; } ); },
  { name = "router"; forward = true;
    interfaces = ( { network = "lan"; ip = "$N1.254"; }, { network = "wan"; ip = "$N2.254"; } ); },
  { name = "server"; interfaces = ( { network = "wan"; ip = "$N2.2"; } );
    routes = ( { to = "default"; via = "$N2.254"; } ); }
CONF
KCONF=$WORK/k8s.conf
sed -e "s|rootfs = \"$ROOTFS\";|image = \"docker.io/library/busybox:1.36\";|" -e "s|${BRIDGE}l|${BRIDGE}m|; s|${BRIDGE}w|${BRIDGE}x|" "$CONF" >"$KCONF"

# what a pod or container shows of its interface: "ADDRESS/P MAC", and the rate of a tbf on a device
iface_of() { nsenter --net="$1" "$IP" -o -4 addr show dev "$2" | awk '{print $4}' | tr '\n' ' '; nsenter --net="$1" "$IP" -o link show dev "$2" | sed -n 's|.* link/ether \([^ ]*\) .*|\1|p'; }
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

# --- what the kubelet and the init container do: the forward sysctl, the script (routes)
nsenter --net="/run/netns/k8s$$-router" sysctl -qw net.ipv4.ip_forward=1
for c in $PODS; do
	script=$(NODE_PATH="$TOP_SRCDIR/tests/k8s/node_modules" node -e 'const y=require("js-yaml"); const p=y.loadAll(require("fs").readFileSync(process.argv[1],"utf8")).find((d)=>d&&d.kind==="Pod"&&d.metadata.name===process.argv[2]); const i=(p.spec.initContainers||[])[0]; if(i) process.stdout.write(i.command[2])' "$WORK/all.yaml" "$c")
	[ -z "$script" ] || check "pod $c's init container script runs" nsenter --net="/run/netns/k8s$$-$c" sh -ec "$script"
done
ping1() { nsenter --net="/run/netns/k8s$$-$1" ping -c 1 -W 2 "$2"; }
check "pod client pings the router on lan" ping1 client "$N1.254"
check "pod server pings the router on wan" ping1 server "$N2.254"
check "pod client pings server through the router" ping1 client "$N2.2"
check_eq "the pod's route is the file's" "$N2.0/24 via $N1.254" "$(nsenter --net="/run/netns/k8s$$-client" "$IP" -4 route show "$N2.0/24" | awk '{print $1, $2, $3}')"
finish
