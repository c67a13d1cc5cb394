#!/bin/sh
# SPDX-License-Identifier: MIT
# measure.sh: host side: a container's measured CPU share and peak memory against its configured limits, from its cgroup.
# usage: measure.sh PROJECT CONTAINER [SECONDS]   (POSIX sh + awk; cgroup v1 or v2)
set -eu
[ $# -ge 2 ] || { echo "usage: $0 PROJECT CONTAINER [SECONDS]" >&2; exit 2; }
project=$1 name=$2 secs=${3:-3}
root=${CENGINE_CGROUP_ROOT:-/sys/fs/cgroup}
rel=cengine/$project/$name

# on a systemd host the project's groups are in its scope (cengine(1), "Cgroup layouts")
[ ! -d "$root/cengine.slice/cengine-$project.scope" ] || rel=cengine.slice/cengine-$project.scope/$name
if [ -e "$root/cgroup.controllers" ]; then	# v2: one directory
	cpu_dir=$root/$rel mem_dir=$root/$rel
	usage_ns() { awk '$1 == "usage_usec" { printf "%.0f\n", $2 * 1000 }' "$cpu_dir/cpu.stat"; }
	cpu_limit() { awk '{ if ($1 == "max") print "none"; else printf "%.2f\n", $1 / $2 }' "$cpu_dir/cpu.max"; }
	mem_max() { cat "$mem_dir/memory.max"; }
	mem_peak_file=$mem_dir/memory.peak
	oom_kills() { awk '$1 == "oom_kill" { print $2 }' "$mem_dir/memory.events"; }
else						# v1: one directory per controller
	cpu_dir=$root/cpuacct/$rel mem_dir=$root/memory/$rel
	usage_ns() { cat "$cpu_dir/cpuacct.usage"; }
	cpu_limit() {
		awk 'FNR == 1 && NR == 1 { q = $1 } NR == 2 { if (q < 0) print "none"; else printf "%.2f\n", q / $1 }' \
			"$root/cpu/$rel/cpu.cfs_quota_us" "$root/cpu/$rel/cpu.cfs_period_us"
	}
	mem_max() { awk '{ print ($1 > 2^62 ? "max" : $1) }' "$mem_dir/memory.limit_in_bytes"; }
	mem_peak_file=$mem_dir/memory.max_usage_in_bytes
	oom_kills() { awk '$1 == "oom_kill" { print $2 }' "$mem_dir/memory.oom_control"; }
fi
[ -d "$cpu_dir" ] || { echo "$0: no cgroup $cpu_dir (is $project up?)" >&2; exit 1; }

# Busy time of the whole machine, in USER_HZ ticks (all but idle and iowait).
host_busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
now_cs() { awk '{ printf "%.0f\n", $1 * 100 }' /proc/uptime; }	# centiseconds
mem_current() { cat "$mem_dir/memory.current" 2>/dev/null || cat "$mem_dir/memory.usage_in_bytes"; }

t0=$(now_cs) u0=$(usage_ns) h0=$(host_busy) peak=$(mem_current)
if [ -r "$mem_peak_file" ]; then	# the kernel keeps the peak: no sampling (it would cost CPU)
	sleep "$secs"
else
	i=0
	while [ "$i" -lt $((secs * 10)) ]; do	# sample memory 10 times a second
		sleep 0.1
		cur=$(mem_current)
		[ "$cur" -le "$peak" ] || peak=$cur
		i=$((i + 1))
	done
fi
t1=$(now_cs) u1=$(usage_ns) h1=$(host_busy)
[ ! -r "$mem_peak_file" ] || { kernel_peak=$(cat "$mem_peak_file"); [ "$kernel_peak" -le "$peak" ] || peak=$kernel_peak; }

used=$(awk -v a="$u0" -v b="$u1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 / ((e - s) / 100) }')
echo "cpu_limit $(cpu_limit)"
echo "cpu_used $used"
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
echo "host_busy $(awk -v a="$h0" -v b="$h1" -v hz="$hz" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.3f\n", (b - a) / hz / ((e - s) / 100) }')"
echo "seconds $(awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%.2f\n", (e - s) / 100 }')"
echo "memory_max $(mem_max)"
echo "memory_peak $peak"
echo "oom_kills $(oom_kills)"
awk -v c="$used" -v l="$(cpu_limit)" -v p="$peak" -v m="$(mem_max)" -v o="$(oom_kills)" -v n="$project/$name" 'BEGIN {
	printf "%s: CPU %.2f of limit %s; peak memory %.1f MiB of limit %s; OOM kills %d\n", n, c, l,
		p / 1048576, (m == "max" ? "none" : sprintf("%.1f MiB", m / 1048576)), o }'
