# SPDX-License-Identifier: MIT
# lib.sh: shared helpers for the root integration tests: TAP output, fixtures, leftover checks.
# shellcheck shell=bash

TAP_N=0
TAP_FAILED=0
CENGINE=${CENGINE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/_build/cengine}
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
TEST_CACHE=${TEST_CACHE:-/var/tmp/cengine-test-cache}

ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
diag() { sed 's/^/# /' <<<"$*"; }

# check DESCRIPTION CMD...: one TAP line for the exit status of CMD.
check() {
	local desc=$1
	shift
	if "$@" >/tmp/cengine-check.$$ 2>&1; then ok "$desc"; else not_ok "$desc"; diag "$(head -c 2000 /tmp/cengine-check.$$)"; fi
	rm -f /tmp/cengine-check.$$
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "expected: $2"; diag "actual:   $3"; fi
}

finish() { echo "1..$TAP_N"; [ "$TAP_N" -gt 0 ] || exit 1; exit 0; }

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

require_root() {
	[ "$(id -u)" = 0 ] || skip_all "integration tests need root"
	[ -x "$CENGINE" ] || { echo "Bail out! no cengine binary at $CENGINE"; exit 1; }
	[ -z "${CENGINE_SKIP_INTEGRATION:-}" ] || skip_all "CENGINE_SKIP_INTEGRATION is set"
}

# busybox_rootfs: print the path of a busybox rootfs, built once from Debian's busybox-static.
busybox_rootfs() {
	local dir=$TEST_CACHE/busybox-rootfs bb
	bb=$(command -v busybox || echo /bin/busybox)
	if [ ! -x "$dir/bin/busybox" ] || ! cmp -s "$bb" "$dir/bin/busybox"; then
		rm -rf "$dir.tmp.$$"
		mkdir -p "$dir.tmp.$$"/{bin,sbin,etc,proc,sys,dev,tmp,root,usr/bin,usr/sbin}
		cp "$bb" "$dir.tmp.$$/bin/busybox"
		"$bb" --list-full | while read -r app; do
			[ -e "$dir.tmp.$$/$app" ] || ln -s /bin/busybox "$dir.tmp.$$/$app"
		done
		echo 'root:x:0:0:root:/root:/bin/sh' >"$dir.tmp.$$/etc/passwd"
		echo 'root:x:0:' >"$dir.tmp.$$/etc/group"
		printf 'NAME="cengine test busybox"\nID=busybox\n' >"$dir.tmp.$$/etc/os-release"
		chmod 1777 "$dir.tmp.$$/tmp"
		rm -rf "$dir"
		mkdir -p "$TEST_CACHE"
		mv "$dir.tmp.$$" "$dir"
	fi
	echo "$dir"
}

# host_snapshot PROJECT BRIDGE: every host object that could belong to the project.
host_snapshot() {
	local project=$1
	ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
	ls -a "/run/cengine" 2>/dev/null | grep -F -- "$project" || true
	find /sys/fs/cgroup -maxdepth 4 -path "*cengine/$project*" 2>/dev/null | sort
	grep -F -- "$project" /proc/mounts || true
	grep -c ' overlay ' /proc/mounts || true
}

# free_subnet_octet: a third octet X such that 10.X.Y.0/24 is unused on the host (Y = $1).
pick_subnet() {
	local y x
	for _ in $(seq 1 50); do
		x=$((100 + RANDOM % 150))
		y=$((RANDOM % 250))
		if ! ip -4 -o addr show | grep -q " 10\.$x\.$y\." && ! ip -4 route show | grep -q "^10\.$x\.$y\."; then
			echo "10.$x.$y"
			return 0
		fi
	done
	return 1
}

# project_snapshot CONF PROJECT: the host objects one project can own: its bridges and host veths
# (names from `cengine check`), state dir and lock, cgroups, mounts. Unlike host_snapshot it does
# not see other tests' links, so it stays exact while other tests run at the same time.
project_snapshot() {
	local n
	for n in $("$CENGINE" check "$1" 2>/dev/null | grep -oE '(bridge|host veth) [^ ,)]+' | awk '{print $NF}'); do
		ip link show "$n" >/dev/null 2>&1 && echo "link $n"
	done
	ls -a /run/cengine 2>/dev/null | grep -Fx -e "$2" -e "$2.lock" || true
	find /sys/fs/cgroup -maxdepth 4 -type d \( -path "*/cengine/$2" -o -path "*/cengine/$2/*" \) 2>/dev/null | sort
	grep -F -- "/$2/" /proc/mounts || true
}
