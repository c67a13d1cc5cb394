# SPDX-License-Identifier: MIT
# bench/report.sh: sourced by bench/run: turns the raw timings in $work into the results table, plot data, README.
# Expects: work, sizes, runs, runs_big, exec_runs, cycles, fabric, userns, load_before, load_after, CENGINE, top.

# FILE of microseconds -> "median min max" in ms
st() { stats <"$1"; }
med() { st "$1" | cut -d' ' -f1; }
# "median (min–max)" in ms, or in s from 1 s up
fmt() {
	st "$1" | awk '{if ($1 >= 1000) printf "%.2f s (%.2f–%.2f)", $1/1000, $2/1000, $3/1000;
		else printf "%.1f ms (%.1f–%.1f)", $1, $2, $3}'
}
nruns() { wc -l <"$1" | tr -d ' '; }
calc() { awk "BEGIN {printf \"$1\", $2}"; }
verdict() { awk "BEGIN {print ($1) ? \"met\" : \"**missed**\"}"; }

machine() {
	local model rev
	model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
	rev=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo "?")
	git -C "$top" diff --quiet HEAD 2>/dev/null || rev="$rev + uncommitted changes"
	echo "- machine: $(nproc) CPUs, $model, kernel $(uname -r), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); source tree at commit $rev; binary $CENGINE built $(date -u -r "$CENGINE" '+%H:%M UTC')"
	echo "- load average (1, 5, 15 min) before: $load_before; after: $load_after (other jobs share the CPUs)"
	echo "- $runs runs each ($runs_big for N ≥ 1000), $exec_runs exec samples; containers: cpu 0.5, memory 50M, pids 100, user namespace $userns"
}

results_table() {
	local n
	echo "| measurement | median (min–max) | runs | load at start |"
	echo "| --- | --- | --- | --- |"
	row "pair: \`up\` until centos1's first ping to centos2 succeeds" pair.up pair
	row "pair: \`down\`" pair.down pair
	row "pair: \`down\` until its link-deleting child exited too (the kernel's RCU teardown of the links)" pair.downall pair
	row "pair by the shell approach: up until first ping" shell.up pair
	row "pair by the shell approach: down" shell.down pair
	row "\`exec FILE centos1 -- true\`" exec exec
	row "\`exec FILE centos1 -- true\` after an idle second (10 runs)" exec.idle exec
	for n in $sizes; do
		row "$n containers: \`up\` until every one answers a ping" "n$n.up" "n$n"
		row "$n containers: \`up\` alone (until it returns)" "n$n.uponly" "n$n"
		row "$n containers: \`down\`" "n$n.down" "n$n"
		row "floor, $n containers: up (all exec'd \`true\`)" "floor$n.up" "floor$n"
		row "floor, $n containers: down" "floor$n.down" "floor$n"
	done
	if [ "$cycles" -gt 0 ]; then
		row "$cycles back-to-back pair cycles (\`up\` → first ping → \`down\`): one cycle (mean $(calc "%.1f" "$(cat "$work/cycle.mean") / 1000") ms)" cycle cycles
		row "… of which \`up\` until the first ping (right after the previous cycle's \`down\`)" cycle.up cycles
		row "$cycles back-to-back pair cycles by the shell approach: one cycle (mean $(calc "%.1f" "$(cat "$work/shellcycle.mean") / 1000") ms)" shellcycle shellcycles
		row "floor: $cycles back-to-back cycles of the same kernel work (bridge, two containers, their teardown; no ping): one cycle (mean $(calc "%.1f" "$(cat "$work/floorcycle.mean") / 1000") ms)" floorcycle floorcycles
		row "pair \`up\` until the first ping, after one idle second" idle.up idle
		row "pair \`up\` until the first ping, right after a \`down\` (interleaved with the above)" afterdown.up idle
	fi
	if [ "$fabric" != 0 ]; then
		row "fabric $fabric ($(fabric_links) links): \`up\` until an echo crossed every link$(fabric_failed)" fab.up fab
		row "fabric: \`up\` alone (until it returns)" fab.uponly fab
		row "fabric: \`down\`" fab.down fab
		row "floor, fabric: up (all exec'd \`true\`)" floorfab.up floorfab
		row "floor, fabric: down" floorfab.down floorfab
	fi
}

fabric_links() { echo $((2 * ${fabric%x*} * ${fabric#*x})); }
fabric_failed() {	# " (in K runs some links never answered: 30 s counted)" or nothing
	[ -s "$work/fab.failed" ] && echo " (in $(nruns "$work/fab.failed") runs some links never answered: 30 s counted)"
}

row() {	# LABEL FILE PHASE
	echo "| $1 | $(fmt "$work/$2") | $(nruns "$work/$2") | $(cat "$work/load.$3") |"
}

memory_table() {
	local f n
	echo "| containers | host-side cengine processes, RSS per container | each container's init (pid 1, a forked cengine): RSS / PSS |"
	echo "| --- | --- | --- |"
	for f in "$work"/mem.*; do
		n=${f##*.}
		read -r host rss pss <"$f"
		echo "| $n | $(calc "%.1f KiB" "$host / $n") ($host KiB in all) | $rss KiB / $pss KiB |"
	done | sort -t'|' -k2 -n
}

# per-container cost over the floor's (up + down) / N: cengine's (UP + down) / N, UP = uponly or up (reachable)
per_container_ratio() {	# N UP
	calc "%.2f" "($(med "$work/n$1.$2") + $(med "$work/n$1.down")) / ($(med "$work/floor$1.up") + $(med "$work/floor$1.down"))"
}

ratio_row() {	# N UP LABEL
	local r
	r=$(per_container_ratio "$1" "$2")
	echo "| per container ≤ 1.3× the floor (N = $1, $3 + down) | $(calc "%.2f" "($(med "$work/n$1.$2") + $(med "$work/n$1.down")) / $1") ms vs floor $(calc "%.2f" "($(med "$work/floor$1.up") + $(med "$work/floor$1.down")) / $1") ms = ${r}× | $(calc "%.2f" "$r / 1.3") | $(verdict "$r <= 1.3") |"
}

targets_table() {
	local pu pd su ex n
	pu=$(med "$work/pair.up") pd=$(med "$work/pair.down") su=$(med "$work/shell.up") ex=$(med "$work/exec")
	echo "| target | measured (median) | measured / target | |"
	echo "| --- | --- | --- | --- |"
	echo "| pair up to first ping ≤ 20 ms | $pu ms | $(calc "%.2f" "$pu / 20") | $(verdict "$pu <= 20") |"
	echo "| pair ≥ 4× faster than the shell approach | shell $su ms = $(calc "%.1f" "$su / $pu")× cengine | $(calc "%.2f" "4 / ($su / $pu)") | $(verdict "$su / $pu >= 4") |"
	echo "| pair down ≤ 20 ms | $pd ms | $(calc "%.2f" "$pd / 20") | $(verdict "$pd <= 20") |"
	for n in $sizes; do
		case $n in
		100) echo "| 100 containers up and reachable ≤ 0.8 s | $(calc "%.3f" "$(med "$work/n100.up") / 1000") s | $(calc "%.2f" "$(med "$work/n100.up") / 800") | $(verdict "$(med "$work/n100.up") <= 800") |" ;;
		1000) echo "| 1,000 containers up and reachable ≤ 10 s | $(calc "%.2f" "$(med "$work/n1000.up") / 1000") s | $(calc "%.2f" "$(med "$work/n1000.up") / 10000") | $(verdict "$(med "$work/n1000.up") <= 10000") |"
		      echo "| down of 1,000 ≤ 10 s | $(calc "%.2f" "$(med "$work/n1000.down") / 1000") s | $(calc "%.2f" "$(med "$work/n1000.down") / 10000") | $(verdict "$(med "$work/n1000.down") <= 10000") |" ;;
		esac
	done
	for n in $sizes; do
		[ "$n" -ge 100 ] || continue
		ratio_row "$n" uponly "up"
		ratio_row "$n" up "up until reachable"
	done
	[ "$cycles" -gt 0 ] && cycle_targets
	[ "$fabric" != 0 ] && fabric_targets
	echo "| exec ≤ 5 ms | $ex ms | $(calc "%.2f" "$ex / 5") | $(verdict "$ex <= 5") |"
	for f in "$work"/mem.*; do
		n=${f##*.}
		read -r host _ <"$f"
		echo "$n $host"
	done | sort -n | tail -1 | while read -r n host; do
		echo "| host memory ≤ 256 KiB per container (N = $n) | $(calc "%.1f" "$host / $n") KiB | $(calc "%.2f" "$host / $n / 256") | $(verdict "$host / $n <= 256") |"
	done
}

cycle_targets() {
	local cm sm id ad
	cm=$(calc "%.2f" "$(cat "$work/cycle.mean") / 1000") sm=$(calc "%.2f" "$(cat "$work/shellcycle.mean") / 1000")
	id=$(med "$work/idle.up") ad=$(med "$work/afterdown.up")
	echo "| $cycles back-to-back pair cycles ≤ 20 ms a cycle (mean; median $(med "$work/cycle") ms) | $cm ms | $(calc "%.2f" "$cm / 20") | $(verdict "$cm <= 20") |"
	echo "| cycles ≥ 8× faster than the shell approach run the same way | shell $sm ms = $(calc "%.1f" "$sm / $cm")× cengine | $(calc "%.2f" "8 / ($sm / $cm)") | $(verdict "$sm / $cm >= 8") |"
	echo "| cycle over the floor's cycle (for information: the kernel work alone takes $(calc "%.2f" "$(cat "$work/floorcycle.mean") / 1000") ms a cycle, of which $(cat "$work/floorcycle.rtnl") ms waiting for the RTNL that the previous bridge's deletion holds) | $(calc "%.2f" "$cm / ($(cat "$work/floorcycle.mean") / 1000)")× | – | – |"
	echo "| pair up right after a down within 20 % of up after an idle second | $ad ms vs $id ms = $(calc "%.2f" "$ad / $id")× | $(calc "%.2f" "$ad / $id / 1.2") | $(verdict "$ad / $id <= 1.2") |"
}

# per link: the fabric's (up + down) / links over the floor's; and, with N = R*C among the sizes, the links' own
# cost: the fabric's minus N containers' (the same containers without links), cengine's over the floor's
fabric_targets() {
	local l n fu fd r m c f
	l=$(fabric_links) n=$((${fabric%x*} * ${fabric#*x}))
	fu=$(med "$work/fab.up") fd=$(med "$work/fab.down")
	echo "| fabric up (every link carried a ping) ≤ 10 s | $(calc "%.2f" "$fu / 1000") s$(fabric_failed) | $(calc "%.2f" "$fu / 10000") | $(verdict "$fu <= 10000") |"
	echo "| fabric down ≤ 5 s | $(calc "%.2f" "$fd / 1000") s | $(calc "%.2f" "$fd / 5000") | $(verdict "$fd <= 5000") |"
	r=$(calc "%.2f" "($(med "$work/fab.uponly") + $fd) / ($(med "$work/floorfab.up") + $(med "$work/floorfab.down"))")
	echo "| per link ≤ 1.3× the floor (fabric up + down over $l links) | $(calc "%.2f" "($(med "$work/fab.uponly") + $fd) / $l") ms vs floor $(calc "%.2f" "($(med "$work/floorfab.up") + $(med "$work/floorfab.down")) / $l") ms = ${r}× | $(calc "%.2f" "$r / 1.3") | $(verdict "$r <= 1.3") |"
	[ -s "$work/n$n.uponly" ] || return 0
	c=$(calc "%.0f" "$(med "$work/fab.uponly") + $fd - $(med "$work/n$n.uponly") - $(med "$work/n$n.down")")
	f=$(calc "%.0f" "$(med "$work/floorfab.up") + $(med "$work/floorfab.down") - $(med "$work/floor$n.up") - $(med "$work/floor$n.down")")
	if [ "$c" -le 0 ] || [ "$f" -le 0 ]; then	# a difference of medians taken minutes apart: the load's swings exceed it
		echo "| per link, the links alone (fabric minus $n containers without links; for information) | cengine $c ms, floor $f ms: not measurable in this run | – | – |"
		return 0
	fi
	m=$(calc "%.2f" "$c / $f")
	echo "| per link, the links alone (fabric minus $n containers without links; for information) | $(calc "%.2f" "$c / $l") ms vs floor $(calc "%.2f" "$f / $l") ms = ${m}× | $(calc "%.2f" "$m / 1.3") | – |"
}

report() {
	echo "### Results"
	echo
	machine
	echo
	results_table
	echo
	echo "Memory (host-side: processes in the host's PID namespace running the cengine binary while the"
	echo "containers run, divided by N; the inits are the containers' own processes, shown for information):"
	echo
	memory_table
	echo
	echo "Targets (medians):"
	echo
	targets_table
	echo
	echo "![up and down time against the number of containers](scale.png)"
}

# N, cengine up-until-reachable median/min/max, down median/min/max, floor up, floor down, up alone (seconds)
plot_data() {
	local n
	echo "# N up_med up_min up_max down_med down_min down_max floor_up floor_down uponly (seconds)"
	for n in $sizes; do
		echo "$n $(st "$work/n$n.up") $(st "$work/n$n.down") $(med "$work/floor$n.up") $(med "$work/floor$n.down") $(med "$work/n$n.uponly")" |
			awk '{printf "%s", $1; for (i = 2; i <= NF; i++) printf " %.4f", $i / 1000; print ""}'
	done
}

# Replace what lies between the results markers of FILE with RESULTS.
readme_update() {
	local file=$1 results=$2
	awk -v r="$results" '
		/<!-- results:begin -->/ {print; while ((getline l < r) > 0) print l; skip = 1; next}
		/<!-- results:end -->/ {skip = 0}
		!skip {print}' "$file" >"$file.tmp" && mv "$file.tmp" "$file"
}
