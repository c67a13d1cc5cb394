#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# limits-stress.sh: limits proved under stress, measured by the host: CPU share, OOM kill, fork bomb, cpuset.
. "$(dirname "$0")/../lib.sh"
require_root

STRESS=$TOP_SRCDIR/examples/stress
MEASURE=$STRESS/measure.sh
setup_project lst

# The busybox tree plus /stress/hog (built here) and /stress/burn.sh; STRESS_ROOTFS
# gives a ready one (the QEMU guest has no compiler).
ROOTFS=${STRESS_ROOTFS:-}
if [ -z "$ROOTFS" ]; then
	command -v "${CC:-cc}" >/dev/null || unavailable "no C compiler to build the memory hog"
	ROOTFS=$WORK/rootfs
	"$STRESS/make-rootfs.sh" "$(busybox_rootfs)" "$ROOTFS" || bail "cannot build the stress rootfs"
fi

write_conf "$CONF" <<CONF
  { name = "c25"; ip = "$NET.2"; cpu = 0.25; },
  { name = "c50"; ip = "$NET.3"; cpu = 0.5; },
  { name = "c100"; ip = "$NET.4"; cpu = 1.0; },
  { name = "free"; ip = "$NET.5"; },
  { name = "pinned"; ip = "$NET.6"; cpuset = "0"; },
  { name = "mem"; ip = "$NET.7"; memory = "50M"; },
  { name = "bomb"; ip = "$NET.8"; pids = 64; cpu = 0.5; },
  { name = "other"; ip = "$NET.9"; memory = "50M"; pids = 64; }
CONF

V2=false
[ -e /sys/fs/cgroup/cgroup.controllers ] && V2=true
# cgdir CONTROLLER NAME: the container's group directory for CONTROLLER.
cgdir() { if $V2; then cg_v2_dir "$PROJECT" "$2"; else echo "/sys/fs/cgroup/$1/cengine/$PROJECT/$2"; fi; }

# burn NAME SECONDS: start 2 busy loops in NAME for SECONDS, in the background (pid in $bg), and
# wait until burn.sh says they run (a diagnostic on stderr where they do not).
burn() {
	rm -f "$WORK/burn"
	x "$1" -- sh /stress/burn.sh 2 "$2" >"$WORK/burn" 2>&1 &
	bg=$!
	wait_for 10 grep -q '^burning' "$WORK/burn" ||
		diag "burn.sh in $1 did not start within 10 s: $(cat "$WORK/burn")" >&2
}

# burn_share NAME: "SHARE BUSY": CPU used by 2 busy loops in NAME over 3 s from the
# moment they run, and how busy the whole machine was meanwhile.
burn_share() {
	local out
	wait_quiet
	burn "$1" 5
	out=$("$MEASURE" "$PROJECT" "$1" 3)
	wait "$bg"
	awk '$1 == "cpu_used" { s = $2 } $1 == "host_busy" { b = $2 } END { print s + 0, b + 0 }' <<<"$out"
}

# busy_now: CPUs the whole machine keeps busy over the next second (/proc/stat).
busy_now() {
	local a b
	a=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
	sleep 1
	b=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f\n", (b - a) / 100 }'
}

# wait_quiet: give other tests (the machine is shared, make check runs in
# parallel) up to 15 s to leave the CPUs below half a CPU busy.
wait_quiet() {
	local i busy
	for i in $(seq 1 15); do
		busy=$(busy_now)
		in_range "$busy" 0 0.5 && return 0
	done
	diag "the machine stays busy ($busy CPUs) without us: measuring anyway" >&2
}

ACCOUNTING=$($V2 && echo "cpu.stat usage_usec" || echo cpuacct.usage)

# saturated BUSY: the whole machine was busy (others' tests included), so a burner
# may have got less than its limit allows; only the upper bound is then measurable.
saturated() { awk -v b="$1" -v n="$(nproc)" 'BEGIN { exit !(b >= n - 0.15) }'; }

# cpu_proof NAME LIMIT LOW HIGH: the measured share lies in [LOW, HIGH]; up to two
# retries because the machine is shared and another test may load it. Above HIGH
# always fails; below LOW fails unless the machine was saturated by other load.
cpu_proof() {
	local name=$1 limit=$2 lo=$3 hi=$4 share busy try what
	for try in 1 2 3; do
		read -r share busy < <(burn_share "$name")
		diag "measured: cpu = $limit -> $share CPU (2 busy loops, 3 s, $ACCOUNTING; machine busy $busy of $(nproc) CPUs)"
		! in_range "$share" "$lo" "$hi" || break
	done
	what="cpu = $limit: 2 busy loops use $share CPU (want $lo..$hi)"
	if in_range "$share" "$lo" "$hi"; then ok "$what"
	elif in_range "$share" 0 "$hi" && saturated "$busy"; then
		skip "$what" "machine saturated by other load (busy $busy): only the upper bound holds"
	else not_ok "$what"; fi
}

# Other engineers' tests add and remove links and mounts meanwhile: compare only
# what is ours (project name, bridge, the veths on it).
before=$(snapshot "$CONF")
check "up with cpu, cpuset, memory and pids limits" "$CENGINE" up "$CONF"
our_veths=$(ip -o link show master "$BRIDGE" | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }')
check_eq "8 veths on the bridge" 8 "$(wc -w <<<"$our_veths")"

# ---- CPU: quota holds; without one the same burner takes both CPUs.
cpu_proof c50 0.5 0.45 0.55
cpu_proof c25 0.25 0.20 0.30
cpu_proof c100 1.0 0.90 1.10
if [ "$(nproc)" -ge 2 ]; then
	cpu_proof free "unset (no limit)" 1.5 2.1
else
	skip "unlimited burner" "needs 2 CPUs"
fi

# ---- cpuset = "0": every process of the container may run, and runs, only on CPU 0.
burn pinned 7
pinned_share=$("$MEASURE" "$PROJECT" pinned 2 | awk '$1 == "cpu_used" { print $2 }')
procs=$(cat "$(cgdir cpuset pinned)/cgroup.procs")
files() { for p in $procs; do echo "/proc/$p/$1"; done; }
allowed=$(awk '$1 == "Cpus_allowed_list:" { print $2 }' $(files status) 2>/dev/null | sort -u | paste -sd' ')
# field 39 of /proc/PID/stat: the CPU it last ran on (after the ") " that ends comm)
ran_on=$(for _ in 1 2 3 4 5 6 7 8 9 10; do
	awk '{ sub(/.*\) /, ""); print $37 }' $(files stat) 2>/dev/null
	sleep 0.1
done | sort -u | paste -sd' ')
wait "$bg"
check "cpuset = \"0\": the container has its processes (burner running)" test "$(wc -w <<<"$procs")" -ge 3
check_eq "cpuset = \"0\": Cpus_allowed_list of every process" 0 "$allowed"
check_eq "cpuset = \"0\": processor of every process, sampled 10 times" 0 "$ran_on"
# 1.15: in a TCG guest (tests/vm/systemd) usage over the guest's clock read up to 1.09 with one CPU; two give ~2
check "cpuset = \"0\": 2 busy loops use at most one CPU ($pinned_share)" in_range "$pinned_share" 0.2 1.15
diag "measured: cpuset = \"0\" -> Cpus_allowed_list '$allowed', ran on CPU(s) '$ran_on', $pinned_share CPU"
free_allowed=$(awk '$1 == "Cpus_allowed_list:" { print $2 }' "/proc/$(pid_of "$CONF" free)/status")
if [ "$(nproc)" -ge 2 ]; then
	check "without cpuset a container may use every CPU ($free_allowed)" test "$free_allowed" != 0
fi

# ---- memory = 50M: a 100 MB allocation is OOM-killed, nothing else is.
memdir=$(cgdir memory mem)
oom_count() { # NAME
	if $V2; then awk '$1 == "oom_kill" { print $2 }' "$(cgdir memory "$1")/memory.events"
	else awk '$1 == "oom_kill" { print $2 }' "$(cgdir memory "$1")/memory.oom_control"; fi
}
mem_pid1=$(pid_of "$CONF" mem)
check_eq "no OOM kill before the hog" 0 "$(oom_count mem)"
check_eq "a 30 MB allocation fits in memory = 50M" 0 "$(x mem -- /stress/hog 30 0 >/dev/null 2>&1; echo $?)"
hog_out=$WORK/hog.out
x mem -- /stress/hog 100 0 >"$hog_out" 2>&1
hog_rc=$?
check_eq "a 100 MB allocation in memory = 50M is SIGKILLed (status 137)" 137 "$hog_rc"
check "the hog got close to the limit before the kill" grep -q "allocated 40 MB" "$hog_out"
check "the hog never held 100 MB" test -z "$(grep holding "$hog_out")"
kills=$(oom_count mem)
diag "measured: memory = 50M, 100 MB hog -> status $hog_rc, oom_kill $kills on the host, last line: $(tail -n 1 "$hog_out")"
check "the host sees the OOM kill ($($V2 && echo memory.events || echo memory.oom_control) oom_kill = $kills)" test "${kills:-0}" -ge 1
if $V2; then peak_file=$memdir/memory.peak; else peak_file=$memdir/memory.max_usage_in_bytes; fi
[ ! -r "$peak_file" ] || check "peak memory stayed within 50M ($(cat "$peak_file"))" test "$(cat "$peak_file")" -le 52428800
check "the container's pid 1 survives the OOM kill" kill -0 "$mem_pid1"
check_eq "ps still shows the container running with the same pid 1" "running $mem_pid1" \
	"$("$CENGINE" ps "$CONF" | awk '$2 == "mem" { print $3, $4 }')"
check_eq "the container still runs commands" alive "$(x mem -- echo alive)"
check_eq "the other container is untouched (no OOM kill)" 0 "$(oom_count other)"
json=$("$CENGINE" ps --json "$CONF" 2>&1)
check_eq "cengine ps --json succeeds" 0 $?
check "cengine ps --json shows the OOM kill" grep -Eq '"name": *"mem".*"oom_kills": *[1-9]|"oom_kills": *[1-9].*"name": *"mem"' \
	<<<"$(tr -d '\n' <<<"$json" | sed 's/}/}\n/g' | grep '"mem"')"

# ---- pids = 64: a fork bomb is contained; the host and the other container keep working.
x bomb -- sh -c 'b() { b | b & }; b' >/dev/null 2>&1 &
bomb_exec=$!
piddir=$(cgdir pids bomb)
most=0
for _ in $(seq 1 300); do	# 3 s, sampled every 10 ms: the bomb's tree collapses and regrows fast
	read -r n <"$piddir/pids.current"
	[ "$n" -le "$most" ] || most=$n
	sleep 0.01
done
refused=$(awk '$1 == "max" { print $2 }' "$piddir/pids.events" 2>/dev/null)
diag "measured: pids = 64 fork bomb -> at most $most tasks over 3 s, ${refused:-?} forks refused (pids.events max)"
check "the fork bomb reached the limit (pids.current peaked at $most, ${refused:-0} forks refused)" \
	test "$most" -ge 32 -o "${refused:-0}" -gt 0
# A sample of pids.current can read above pids.max for an instant while the kernel refuses a fork (it
# adds the charge, compares, then takes it back): up to one such fork per CPU. pids.peak, where the kernel
# has it, counts only forks that were let through.
if [ -r "$piddir/pids.peak" ]; then
	peak=$(cat "$piddir/pids.peak")
	check "the fork bomb never exceeded pids = 64 (pids.peak $peak)" test "$peak" -le 64
else
	check "the fork bomb never exceeded pids = 64 (sampled $most, at most one refused fork in flight a CPU)" \
		test "$most" -le $((64 + $(nproc)))
fi
check "the kernel refused forks (pids.events max = ${refused:-none})" test "${refused:-0}" -ge 1
uptime_ms() { awk '{ printf "%.0f\n", $1 * 1000 }' /proc/uptime; }
t0=$(uptime_ms)
check "the host still forks: 50 processes within 10 s" timeout 10 bash -c 'for i in $(seq 50); do /bin/true; done'
diag "host: 50 forks took $(($(uptime_ms) - t0)) ms during the bomb"
check_eq "the other container still answers during the bomb" alive "$(timeout 20 "$CENGINE" exec "$CONF" other -- echo alive)"
check "the other container still pings the bombed one's neighbour (the gateway)" timeout 20 "$CENGINE" exec "$CONF" other -- ping -c 1 -W 2 "$NET.1"

check "down stops everything, fork bomb included" timeout 60 "$CENGINE" down "$CONF" --timeout 1
wait "$bomb_exec" 2>/dev/null
check_eq "down leaves the host as before up (state, cgroups, mounts, bridge, veths, processes)" "$before" "$(snapshot "$CONF")"
check_eq "down removes every veth" "" "$(for v in $our_veths; do ip link show "$v" >/dev/null 2>&1 && echo "$v"; done)"
check "state dir is gone" test ! -e "/run/cengine/$PROJECT"
finish
