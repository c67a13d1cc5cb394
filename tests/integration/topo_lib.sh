# SPDX-License-Identifier: MIT
# topo_lib.sh: helpers shared by the topology tests (topo_*.sh): two free subnets, a snapshot of
# only this test's host objects (other tests run at the same time), exec and pid shortcuts.
# shellcheck shell=bash

# two_subnets: print two different free "10.X.Y" prefixes.
two_subnets() {
	local a b
	a=$(pick_subnet) || return 1
	for _ in $(seq 1 20); do
		b=$(pick_subnet) || return 1
		[ "$b" != "$a" ] && { echo "$a $b"; return 0; }
	done
	return 1
}

# own_rootfs: a private copy of the shared busybox rootfs, beside it in $TEST_CACHE (a disk file
# system: the QEMU guest's kernel cannot idmap tmpfs). The shared one may be rebuilt by another
# test while ours run, and an overlay over a replaced lower dir sees nothing. Remove it at exit.
own_rootfs() {
	local src dst=$TEST_CACHE/topo-rootfs.$$
	src=$(busybox_rootfs) && rm -rf "$dst" && cp -a "$src" "$dst" && [ -x "$dst/bin/busybox" ] && echo "$dst"
}

# my_snapshot CONF: host objects of the file's project only: its bridges and host veths (names
# from `cengine check`), its state, cgroups, mounts and nftables table.
my_snapshot() {
	local conf=$1 plan names project
	plan=$("$CENGINE" check "$conf")
	project=$(sed -n '1s/^project \([^ ]*\) .*/\1/p' <<<"$plan")
	names=$(sed -n 's/^network [^:]*: bridge \([^,]*\),.*/\1/p; s/.*(host veth \(.*\))$/\1/p' <<<"$plan")
	[ -n "$names" ] && [ -n "$project" ] || { echo "cengine check $conf failed"; return; }
	{
		host_snapshot "$project" 2>/dev/null | grep -Fx -f <(echo "$names") || true
		ls -a /run/cengine 2>/dev/null | grep -Fx -e "$project" -e "$project.lock" || true
		find /sys/fs/cgroup -maxdepth 4 -path "*cengine/$project" 2>/dev/null | sort
		grep -F -- "/$project/" /proc/mounts || true
		nft list tables 2>/dev/null | grep -Fx -- "table ip cengine-$project" || true
	}
}

# iproute2's ip by path: busybox nsenter (the QEMU guest's) would run its own ip applet
IP=$(command -v ip)

# pid_of CONF NAME: host pid of a container's init.
pid_of() { "$CENGINE" ps "$1" | awk -v n="$2" '$2==n{print $4}'; }

# ping_loss OUTPUT: the packet-loss percentage of a busybox/iputils ping summary.
ping_loss() { sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' <<<"$1"; }
# ping_avg OUTPUT: the average round-trip time in ms.
ping_avg() { sed -n 's|.*min/avg/max[^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p' <<<"$1"; }
