# SPDX-License-Identifier: MIT
# lib.sh: the one library of the root integration tests: TAP output, the test's own project (name, subnet,
# bridge, work dir, exit trap), a conf writer, the leak snapshot, bounded waits, fixtures.
# shellcheck shell=bash

TAP_N=0
TAP_FAILED=0
CENGINE=${CENGINE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/_build/cengine}
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
TEST_CACHE=${TEST_CACHE:-/var/tmp/cengine-test-cache}

# --- TAP

ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
diag() { sed 's/^/# /' <<<"$*"; }
# skip DESCRIPTION REASON: one test that cannot run here, said as such.
skip() { ok "$1 # SKIP $2"; }

# check DESCRIPTION CMD...: one TAP line for the exit status of CMD. Its output goes to a file, not a
# pipe: a container that `up` starts must not hold the test open.
check() {
	local desc=$1
	shift
	if "$@" >/tmp/cengine-check.$$ 2>&1; then ok "$desc"; else not_ok "$desc"; diag "$(head -c 2000 /tmp/cengine-check.$$)"; fi
	rm -f /tmp/cengine-check.$$
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "expected: $2"; diag "actual:   $3"; return 1; fi
}

# todo DESCRIPTION BUG CMD...: a check that a known BUG still fails: "not ok ... # TODO BUG", which the TAP
# driver counts as an expected failure and finish too; once it passes, "ok ... # TODO", which the driver
# counts as an unexpected pass, a failure: the bug is fixed, make it a check.
todo() {
	local desc=$1 bug=$2
	shift 2
	TAP_N=$((TAP_N + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $TAP_N - $desc # TODO $bug"; else echo "not ok $TAP_N - $desc # TODO $bug"; fi
}

# in_range VALUE LOW HIGH: LOW <= VALUE <= HIGH (decimals too); false for an empty or non-numeric VALUE.
in_range() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v ~ /^-?[0-9.]+$/ && v + 0 >= lo && v + 0 <= hi) }'; }

# finish: the plan; exit 1 when no test ran or any failed (the TAP driver then also reports the status).
finish() {
	echo "1..$TAP_N"
	[ "$TAP_N" -gt 0 ] || { diag "no test ran"; exit 1; }
	[ "$TAP_FAILED" = 0 ] || { diag "$TAP_FAILED of $TAP_N tests failed"; exit 1; }
	exit 0
}

skip_all() { echo "1..0 # SKIP $*"; exit 0; }
bail() { echo "Bail out! $*"; exit 1; }
# unavailable REASON: a missing tool or fixture: skip on a user's machine, fail in CI (which installs everything).
unavailable() {
	[ "${CI:-}" != true ] || bail "CI=true but $*"
	skip_all "$*"
}

require_root() {
	[ "$(id -u)" = 0 ] || skip_all "integration tests need root"
	[ -x "$CENGINE" ] || bail "no cengine binary at $CENGINE"
	[ -z "${CENGINE_SKIP_INTEGRATION:-}" ] || skip_all "CENGINE_SKIP_INTEGRATION is set"
}

# --- the test's own project and its cleanup

CONFS=()
AT_EXIT=()

# setup_work: WORK, a temporary directory, and the exit trap (also run on HUP, INT and TERM) that downs
# every registered conf, runs the at_exit commands (last first) and removes WORK.
setup_work() {
	WORK=$(mktemp -d) || bail "cannot make a temporary directory"
	trap cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

cleanup() {
	local c i
	for c in "${CONFS[@]}"; do
		[ ! -e "$c" ] || "$CENGINE" down "$c" --timeout 1 >/dev/null 2>&1
	done
	for ((i = ${#AT_EXIT[@]} - 1; i >= 0; i--)); do eval "${AT_EXIT[i]}"; done
	rm -rf "$WORK"
}

# at_exit COMMAND: a shell command for the exit trap (after the downs, before WORK goes).
at_exit() { AT_EXIT+=("$*"); }
# register_conf FILE: `down` FILE at exit (write_conf does it for the files it writes).
register_conf() { [[ " ${CONFS[*]} " == *" $1 "* ]] || CONFS+=("$1"); }

# setup_project NAME: this test's own project, then setup_work: PROJECT=t-NAME-PID; BRIDGE, a bridge
# name of at most 14 characters (a 15th, a letter, makes a second and third bridge); NET, a free
# "10.X.Y" prefix; CONF=$WORK/NAME.conf, downed at exit; NETWORKS, the network "lan" on NET and BRIDGE.
setup_project() {
	local tag
	tag=$(tr -cd 'a-z0-9' <<<"$1")
	PROJECT=t-$1-$$
	BRIDGE=c${tag:0:5}$$
	subnets NET
	setup_work
	CONF=$WORK/$1.conf
	register_conf "$CONF"
	NETWORKS=$(lan)
}

# pick_subnet: a "10.X.Y" prefix such that 10.X.Y.0/24 is unused on the host (no address, no route).
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

SUBNETS_TAKEN=
# subnets VAR...: set each VAR to a free "10.X.Y" prefix, none the same as another of this test's.
subnets() {
	local var s
	for var; do
		for _ in $(seq 1 20); do
			s=$(pick_subnet) || bail "no free subnet"
			[[ " $SUBNETS_TAKEN " == *" $s "* ]] || break
		done
		[[ " $SUBNETS_TAKEN " != *" $s "* ]] || bail "no free subnet"
		SUBNETS_TAKEN+=" $s"
		printf -v "$var" %s "$s"
	done
}

# lan [SETTINGS]: the network entry "lan" on NET with gateway NET.1 and BRIDGE, plus SETTINGS.
lan() { echo "{ name = \"lan\"; subnet = \"$NET.0/24\"; gateway = \"$NET.1\"; bridge = \"$BRIDGE\";${1:+ $1} }"; }

# write_conf FILE [DEFAULTS [MORE]] <<CONTAINERS: a project file, registered for `down` at exit, whose lines
# are 1 name = "$PROJECT";  2 networks = ( $NETWORKS );  3 defaults = { rootfs = "$ROOTFS"; DEFAULTS };
# 4 containers = (  5.. the container entries read from stdin, then );  then MORE. The rootfs setting is
# left out where ROOTFS is empty. PROJECT, NETWORKS and ROOTFS may be given for one call.
write_conf() {
	cat >"$1" <<CONF
name = "$PROJECT";
networks = ( $NETWORKS );
defaults = { ${ROOTFS:+rootfs = \"$ROOTFS\"; }${2:-} };
containers = (
$(cat)
);
${3:-}
CONF
	register_conf "$1"
}

# --- what a project leaves on the host

# snapshot CONF: every host object that CONF's project can own, one a line: its bridges and host veths
# (the names `cengine check` plans), its state dir and lock, cgroups, mounts, nftables tables and the
# number of live processes in its cgroups. It sees nothing of other projects, so it stays exact while other
# tests run. Take it before up and compare it after down. A file that check refuses is named by its
# name setting, or else its file name, and has no links.
snapshot() {
	local conf=$1 plan project n
	if plan=$("$CENGINE" check "$conf" 2>/dev/null); then
		project=$(sed -n '1s/^project \([^ ]*\) .*/\1/p' <<<"$plan")
		for n in $(sed -n 's/^network [^:]*: bridge \([^,]*\),.*/\1/p; s/.*(host veth \(.*\))$/\1/p' <<<"$plan"); do
			! ip link show "$n" >/dev/null 2>&1 || echo "link $n"
		done
	else
		echo "check refuses $conf"
		project=$(sed -n 's/^name = "\([A-Za-z0-9_-]*\)";.*/\1/p' "$conf" | head -n 1)
	fi
	project=${project:-$(basename "$conf" .conf)}
	ls -a /run/cengine 2>/dev/null | grep -Fx -e "$project" -e "$project.lock" | sed 's/^/state /'
	find /sys/fs/cgroup -maxdepth 4 -type d \( -path "*/cengine/$project" -o -path "*/cengine/$project/*" \) 2>/dev/null |
		sort | sed 's/^/cgroup /'
	grep -E -- "/$project(/|[[:space:]])" /proc/mounts | sed 's/^/mount /'
	! command -v nft >/dev/null || nft list tables 2>/dev/null | grep -Fx -e "table ip cengine-$project" \
		-e "table inet cengine-$project" -e "table bridge cengine-$project"
	# not an exited init its reaper has yet to wait for: its cgroup v2 line ends in " (deleted)"
	n=$(grep -lE -- ":/cengine/$project(/[^ ]*)?\$" /proc/[0-9]*/cgroup 2>/dev/null | wc -l)
	[ "$n" = 0 ] || echo "processes $n"
}

# kill_up_at_each_step MIN [WHAT CMD...]: `up` of $CONF SIGKILLed after each of its journal steps in
# turn (CENGINE_DEBUG_KILL_AT), each time followed by `down`; one TAP line a step: up died of the kill,
# down exits 0 and leaves the snapshot as before (kept in $before), and CMD (said WHAT) then succeeds.
# First a check that a full up writes more than MIN steps.
kill_up_at_each_step() {
	local min=$1 what=${2:-} steps k rc down_rc after then_rc=0
	shift $(($# > 1 ? 2 : 1))
	before=$(snapshot "$CONF")
	"$CENGINE" up "$CONF" && steps=$(wc -l <"/run/cengine/$PROJECT/journal")
	"$CENGINE" down "$CONF"
	check "a full up writes more than $min journal steps (${steps:-0})" test "${steps:-0}" -gt "$min"
	for k in $(seq 1 "${steps:-0}"); do
		rc=$( (CENGINE_DEBUG_KILL_AT=$k "$CENGINE" up "$CONF" >/dev/null 2>&1; echo $?) 2>/dev/null)
		"$CENGINE" down "$CONF" --timeout 1
		down_rc=$?
		after=$(snapshot "$CONF")
		[ $# = 0 ] || { "$@" >/dev/null 2>&1; then_rc=$?; }
		if [ "$rc" = 137 ] && [ "$down_rc" = 0 ] && [ "$before" = "$after" ] && [ "$then_rc" = 0 ]; then
			ok "killed after step $k: down leaves nothing${what:+, $what}"
		else
			not_ok "killed after step $k: down leaves nothing${what:+, $what} (up rc $rc, down rc $down_rc${what:+, then $then_rc})"
			diag "$(diff <(echo "$before") <(echo "$after"))"
		fi
	done
}

# --- running things

# x NAME -- CMD...: run CMD in container NAME of $CONF.
x() { "$CENGINE" exec "$CONF" "$@"; }

# pid_of CONF NAME: host pid of a container's init.
pid_of() { "$CENGINE" ps "$1" | awk -v n="$2" '$2 == n { print $4 }'; }

# now_ms: the time in milliseconds (bash's own clock: no process started).
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# wait_for SECONDS CMD...: run CMD every 50 ms until it succeeds; status 1 if it has not within SECONDS.
wait_for() {
	local end
	end=$(($(now_ms) + $(awk -v s="$1" 'BEGIN { printf "%d", s * 1000 }')))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# complete_words WORD...: what the bash completion (completion/cengine) offers for the last WORD.
complete_words() {
	PATH=$(dirname "$CENGINE"):$PATH bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _cengine; echo "${COMPREPLY[*]}"' \
		_ "$TOP_SRCDIR/completion/cengine" "$@"
}

# --- fixtures

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
