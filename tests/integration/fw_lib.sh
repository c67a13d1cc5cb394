# SPDX-License-Identifier: MIT
# fw_lib.sh: a firewalled host imitated in a private netns (entered with nsenter --net, which keeps the
# mount namespace and so the cgroup tree): the firewall set up the way dockerd, ufw (its own ufw-init,
# on a copy of its rules files), firewalld (its table's shape) or iptables-legacy set it; an upstream
# netns behind it; the ruleset as the tools print it. For fw_hosts.sh, doctor.sh and gha.sh.
# shellcheck shell=bash

# fw_tools: skip (fail in CI) without the tools that set the firewalls up.
fw_tools() {
	local t
	for t in nft iptables-nft iptables-legacy ip6tables-nft ip6tables-legacy nsenter; do
		command -v "$t" >/dev/null || unavailable "$t is needed to imitate a firewalled host"
	done
}

# in_ns NS CMD...: CMD in netns NS (the mount namespace stays: /sys/fs/cgroup as cengine sees it).
in_ns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }

# fw_netns NS: a netns with lo up and forwarding on (dockerd, ufw's routers and firewalld hosts
# forward), removed at exit.
fw_netns() {
	ip netns add "$1" || bail "cannot make netns $1"
	at_exit "ip netns del '$1' 2>/dev/null"
	in_ns "$1" ip link set lo up
	in_ns "$1" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
}

# fw_upstream NS UPNS U: netns UPNS behind NS on U.0/24 (NS has U.1, UPNS U.2), no route back to
# anything else: only masquerading answers reach the containers.
fw_upstream() {
	local ns=$1 up=$2 u=$3
	ip netns add "$up" || bail "cannot make netns $up"
	at_exit "ip netns del '$up' 2>/dev/null"
	in_ns "$ns" ip link add "fu$$" type veth peer name "fp$$" netns "$up"
	in_ns "$ns" ip addr add "$u.1/24" dev "fu$$"
	in_ns "$ns" ip link set "fu$$" up
	in_ns "$up" ip addr add "$u.2/24" dev "fp$$"
	in_ns "$up" ip link set "fp$$" up
	in_ns "$up" ip link set lo up
}

# The firewalls. Each is what its tool leaves in the kernel; nothing of the host's is touched.
fw_docker() {	# dockerd 24-27 on iptables-nft: FORWARD DROP, DOCKER-USER first, its isolation chains, docker0
	in_ns "$1" sh -e -c '
	for t in iptables ip6tables; do
		$t -N DOCKER; $t -N DOCKER-ISOLATION-STAGE-1; $t -N DOCKER-ISOLATION-STAGE-2; $t -N DOCKER-USER
		$t -P FORWARD DROP
		$t -A FORWARD -j DOCKER-USER
		$t -A FORWARD -j DOCKER-ISOLATION-STAGE-1
		$t -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
		$t -A FORWARD -o docker0 -j DOCKER
		$t -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
		$t -A FORWARD -i docker0 -o docker0 -j ACCEPT
		$t -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
		$t -A DOCKER-ISOLATION-STAGE-1 -j RETURN
		$t -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
		$t -A DOCKER-ISOLATION-STAGE-2 -j RETURN
		$t -A DOCKER-USER -j RETURN
		$t -t nat -N DOCKER
		$t -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
		$t -t nat -A DOCKER -i docker0 -j RETURN
	done
	iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'
}

fw_ufw() {	# ufw 0.36 enabled with its defaults (INPUT and FORWARD DROP), started by its own ufw-init
	local data=$WORK/ufw
	[ -x /lib/ufw/ufw-init ] || unavailable "ufw (Debian package) is needed to imitate a ufw host"
	mkdir -p "$data/etc/default" "$data/etc/ufw"
	cp /etc/ufw/*.rules "$data/etc/ufw/"
	sed "s|^IPT_SYSCTL=.*|IPT_SYSCTL=$data/etc/ufw/sysctl.conf|" /etc/default/ufw >"$data/etc/default/ufw"
	: >"$data/etc/ufw/sysctl.conf"	# its sysctls would be this netns's too, but none is needed here
	echo ENABLED=yes >"$data/etc/ufw/ufw.conf"
	in_ns "$1" /lib/ufw/ufw-init --datadir "$data" start >/dev/null
}

fw_firewalld() {	# firewalld 1.3's table: input and forward end in a reject
	in_ns "$1" nft -f "$TOP_SRCDIR/tests/data/fw/firewalld.nft"
}

fw_legacy() {	# dockerd on iptables-legacy (x_tables), INPUT dropping too (as ufw on legacy): both families
	in_ns "$1" sh -e -c '
	for t in iptables-legacy ip6tables-legacy; do
		$t -N DOCKER-USER; $t -P FORWARD DROP; $t -P INPUT DROP
		$t -A INPUT -i lo -j ACCEPT
		$t -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
		$t -A FORWARD -j DOCKER-USER
		$t -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
		$t -A FORWARD -i docker0 -j ACCEPT
		$t -A DOCKER-USER -j RETURN
	done'
}

# no_libiptc: a directory for LD_LIBRARY_PATH where libip4tc and libip6tc are files that do not
# load: a host without them, to which cengine cannot add iptables-legacy rules.
no_libiptc() {
	mkdir -p "$WORK/nolib"
	: >"$WORK/nolib/libip4tc.so.2"
	: >"$WORK/nolib/libip6tc.so.2"
	echo "$WORK/nolib"
}

# fw_ruleset NS: every rule of NS as the tools print them (nft -s: no counters; the save tools'
# dates and counters left out).
fw_ruleset() {
	in_ns "$1" sh -c 'iptables-nft-save; ip6tables-nft-save; iptables-legacy-save; ip6tables-legacy-save
		nft -s list ruleset' 2>&1 | grep -v '^# \(Generated\|Completed\)' | sed 's/\[[0-9]*:[0-9]*\]$//'
}
