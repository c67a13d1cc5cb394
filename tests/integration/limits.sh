#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# limits.sh: every limit key: bad values refused with FILE:LINE and nothing created; good ones land in the cgroup files.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project lim
ROOTFS=$(busybox_rootfs)
NCPU=$(nproc)

# conf DEFAULTS SETTING: a one-container file; SETTING is on line 5.
conf() {
	write_conf "$CONF" "$1" <<CONF
{ name = "a"; ip = "$NET.2"; $2 }
CONF
}

conf "" ""
before=$(snapshot "$CONF")

# refused DEFAULTS SETTING EXPECTED_ERROR: up exits 2 with exactly that line, nothing made.
refused() {
	local out rc
	conf "$1" "$2"
	out=$("$CENGINE" up "$CONF" 2>&1)
	rc=$?
	check_eq "refused: $2 (status 2)" 2 "$rc"
	check_eq "refused: $2 (message)" "$3" "$out"
}

E="$CONF:5: containers.[0]"
refused "" "cpu = 0.0;" "$E.cpu: must be greater than 0, got 0"
refused "" "cpu = $((NCPU + 1)).0;" "$E.cpu: $((NCPU + 1)) is more than the $NCPU online CPUs"
refused "" 'memory = "1M";' "$E.memory: 1048576 bytes is below the minimum of 4M (4194304 bytes)"
refused "" 'memory = "50X";' "$E.memory: \"50X\" has an unknown unit (use K, M, G or T)"
refused "" 'memory = -5;' "$E.memory: must be greater than 0, got -5"
refused "" "cpuset = \"$NCPU\";" "$E.cpuset: \"$NCPU\": CPU $NCPU is not one of the $NCPU online CPUs (0-$((NCPU - 1)))"
refused "" "cpuset = \"0-$NCPU\";" "$E.cpuset: \"0-$NCPU\": CPU $NCPU is not one of the $NCPU online CPUs (0-$((NCPU - 1)))"
refused "" 'cpuset = "1-0";' "$E.cpuset: \"1-0\": range 1-0 is backwards"
refused "" 'cpuset = "0,";' "$E.cpuset: \"0,\" is not a CPU list like \"0\", \"0-1\" or \"0,2\""
refused "" 'cpuset = "all";' "$E.cpuset: \"all\" is not a CPU list like \"0\", \"0-1\" or \"0,2\""
refused "" 'cpu_weight = 0;' "$E.cpu_weight: must be between 1 and 10000, got 0"
refused "" 'cpu_weight = 10001;' "$E.cpu_weight: must be between 1 and 10000, got 10001"
refused "" 'io_weight = 0;' "$E.io_weight: must be between 1 and 10000, got 0"
refused "" 'pids = 0;' "$E.pids: must be greater than 0, got 0"
refused "" 'memory_swap = -1;' "$E.memory_swap: must be at least 0, got -1"
refused "" 'memory_swap = "1Q";' "$E.memory_swap: \"1Q\" has an unknown unit (use K, M, G or T)"
refused "" 'memory = "50M"; memory_high = "60M";' \
	"$E.memory_high: 62914560 bytes is above memory (52428800 bytes); memory_high is the soft limit below it"
refused 'memory_high = "60M";' 'memory = "50M";' \
	"$CONF:3: defaults.memory_high: 62914560 bytes is above memory (52428800 bytes); memory_high is the soft limit below it"
refused "" 'memory_swap = "10M";' "$E.memory_swap: needs memory: swap is allowed on top of the memory limit"
conf "" ""	# a file check takes: the snapshot names its bridge and veths
check_eq "refused files created nothing" "$before" "$(snapshot "$CONF")"
check "refused files left no state" test ! -e "/run/cengine/$PROJECT"

# A container's value overrides defaults; the combination is checked after both.
conf 'memory = "100M"; memory_high = "80M";' 'memory = "50M"; memory_high = "40M";'
check "defaults overridden by the container pass the memory_high check" "$CENGINE" check "$CONF"
conf "" 'cpuset = 0;'
check "cpuset may be a number" "$CENGINE" check "$CONF"

# Every key at once, then the files.
conf 'cpu = 0.5; memory = "64M";' \
	'cpu_weight = 200; cpuset = "0"; memory_high = "48M"; memory_swap = "16M"; pids = 77; io_weight = 300;'
check "up with every limit key" "$CENGINE" up "$CONF"
pid1=$("$CENGINE" ps "$CONF" | awk '$2 == "a" { print $4 }')
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
	d=$(cg_v2_dir "$PROJECT" a)
	f() { cat "$d/$2" 2>/dev/null; }
	check_eq "cpu.max" "50000 100000" "$(f cpu cpu.max)"
	check_eq "cpu.weight" 200 "$(f cpu cpu.weight)"
	check_eq "cpuset.cpus" 0 "$(f cpuset cpuset.cpus)"
	check_eq "memory.max" $((64 << 20)) "$(f memory memory.max)"
	check_eq "memory.high" $((48 << 20)) "$(f memory memory.high)"
	check_eq "memory.swap.max" $((16 << 20)) "$(f memory memory.swap.max)"
	check_eq "pids.max" 77 "$(f pids pids.max)"
	if [ -e "$d/io.weight" ]; then check_eq "io.weight" "default 300" "$(head -n 1 "$d/io.weight")"
	else ok "io.weight # SKIP no io controller with weights here"; fi
else
	f() { cat "/sys/fs/cgroup/$1/cengine/$PROJECT/a/$2" 2>/dev/null; }
	check_eq "cpu.cfs_quota_us" 50000 "$(f cpu cpu.cfs_quota_us)"
	check_eq "cpu.shares (cpu_weight 200 = 2 x 1024)" 2048 "$(f cpu cpu.shares)"
	check_eq "cpuset.cpus" 0 "$(f cpuset cpuset.cpus)"
	check_eq "memory.limit_in_bytes" $((64 << 20)) "$(f memory memory.limit_in_bytes)"
	check_eq "memory.soft_limit_in_bytes" $((48 << 20)) "$(f memory memory.soft_limit_in_bytes)"
	if [ -e "/sys/fs/cgroup/memory/cengine/$PROJECT/a/memory.memsw.limit_in_bytes" ]; then
		check_eq "memory.memsw.limit_in_bytes = memory + memory_swap" $((80 << 20)) "$(f memory memory.memsw.limit_in_bytes)"
	else ok "memory.memsw.limit_in_bytes # SKIP no swap accounting here"; fi
	check_eq "pids.max" 77 "$(f pids pids.max)"
	if [ -e "/sys/fs/cgroup/blkio/cengine/$PROJECT/a/blkio.bfq.weight" ]; then
		check_eq "blkio.bfq.weight" 300 "$(f blkio blkio.bfq.weight | awk '{ print $NF }')"
	else ok "blkio.bfq.weight # SKIP no BFQ here"; fi
fi
check_eq "inside, the container runs on CPU 0 only" 0 \
	"$("$CENGINE" exec "$CONF" a -- awk '$1 == "Cpus_allowed_list:" { print $2 }' /proc/self/status)"
check_eq "from the host, pid 1 may run on CPU 0 only" 0 "$(awk '$1 == "Cpus_allowed_list:" { print $2 }' "/proc/$pid1/status")"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
finish
