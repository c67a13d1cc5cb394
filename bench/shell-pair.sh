#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/shell-pair.sh: the tutorial's pair by hand (ip, unshare, chroot, cgroup echo), for bench/run to time.
#
#   shell-pair.sh up   TAG ROOTFS A.B.C STATE-DIR   bridge, 2 netns + veths, cgroups, 2 containers; returns
#                                                  once centos1's first ping to centos2 succeeds
#   shell-pair.sh down TAG ROOTFS A.B.C STATE-DIR   kill both, remove every object; also cleans a half-built up
#
# TAG (≤ 8 characters) names every object: bridge sb-TAG, netns sp-TAG-1/2, veths sh-TAG-1/2 on the host,
# cgroups /sys/fs/cgroup/{cpu,memory,pids}/sp-TAG-1/2. Addresses: A.B.C.1 bridge, .2 centos1, .3 centos2.
set -u
verb=$1 tag=$2 rootfs=$3 net=$4 state=$5
br=sb-$tag
ctls="cpu memory pids"

cgroup_make() {
	local d
	for c in $ctls; do
		d=/sys/fs/cgroup/$c/sp-$tag-$1
		mkdir "$d" || return 1
	done
	echo 50000 >/sys/fs/cgroup/cpu/sp-$tag-$1/cpu.cfs_quota_us &&
		echo 52428800 >/sys/fs/cgroup/memory/sp-$tag-$1/memory.limit_in_bytes &&
		echo 100 >/sys/fs/cgroup/pids/sp-$tag-$1/pids.max
}

# One container: its netns with eth0 from a veth moved into it, its cgroups, then unshare + chroot.
container_up() {
	local i=$1 ns=sp-$tag-$1 host=sh-$tag-$1 peer=sc-$tag-$1
	ip netns add "$ns" &&
		ip link add "$host" type veth peer name "$peer" &&
		ip link set "$peer" netns "$ns" &&
		ip link set "$host" master "$br" up &&
		ip -n "$ns" link set "$peer" name eth0 &&
		ip -n "$ns" addr add "$net.$((i + 1))/24" dev eth0 &&
		ip -n "$ns" link set eth0 up &&
		ip -n "$ns" link set lo up &&
		ip -n "$ns" route add default via "$net.1" &&
		cgroup_make "$i" || return 1
	(
		for c in $ctls; do echo "$BASHPID" >/sys/fs/cgroup/$c/sp-$tag-$i/cgroup.procs; done
		exec ip netns exec "$ns" unshare --fork --kill-child --pid --mount --uts --ipc \
			chroot "$rootfs" /bin/sh -c "hostname centos$i; exec sleep 1000000"
	) </dev/null >/dev/null 2>&1 &
	echo $! >"$state/pid-$i"
}

up() {
	mkdir -p "$state" &&
		ip link add "$br" type bridge &&
		ip addr add "$net.1/24" dev "$br" &&
		ip link set "$br" up &&
		container_up 1 && container_up 2 || return 1
	# centos1's first successful ping to centos2, from centos1's network namespace and root
	until ip netns exec "sp-$tag-1" chroot "$rootfs" /bin/ping -c 1 -W 1 "$net.3" >/dev/null 2>&1; do
		[ -d "/proc/$(cat "$state/pid-1")" ] || return 1
	done
}

down() {
	local pid d procs
	for i in 1 2; do
		pid=$(cat "$state/pid-$i" 2>/dev/null) || continue
		kill -KILL "$pid" 2>/dev/null	# unshare --fork ignores SIGTERM; --kill-child ends pid 1
	done
	for i in 1 2; do
		ip netns del "sp-$tag-$i" 2>/dev/null
		ip link del "sh-$tag-$i" 2>/dev/null
		for c in $ctls; do
			d=/sys/fs/cgroup/$c/sp-$tag-$i
			[ -d "$d" ] || continue
			# cgroup files report size 0, so read them: kill what is left (by pid) until empty
			for _ in $(seq 1 2000); do
				procs=$(cat "$d/cgroup.procs" 2>/dev/null)
				[ -z "$procs" ] && break
				kill -KILL $procs 2>/dev/null
				sleep 0.005
			done
			rmdir "$d"
		done
	done
	ip link del "$br" 2>/dev/null
	rm -rf "$state"
	return 0
}

case $verb in
up) up ;;
down) down ;;
*) echo "usage: $0 up|down TAG ROOTFS A.B.C STATE-DIR" >&2; exit 2 ;;
esac
