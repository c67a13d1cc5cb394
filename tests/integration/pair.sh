#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pair.sh: the tutorial's pair from one .conf: isolation, network, limits, exec, and a down that leaves nothing.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project pair
ROOTFS=$(busybox_rootfs)
write_conf "$CONF" 'cpu = 0.5; memory = "50M"; pids = 100;' <<CONF
  { name = "centos1"; ip = "$NET.2"; },
  { name = "centos2"; ip = "$NET.3"; hostname = "c2"; }
CONF

before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
# a systemd scope exactly where systemd runs the host on pure cgroup v2 (cengine(1), "Cgroup layouts")
want_scope=no
[ ! -d /run/systemd/system ] || [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || want_scope=yes
check_eq "the project's groups are in a systemd scope: $want_scope" "$want_scope" \
	"$(grep -q "^unit cengine-$PROJECT.scope\$" "/run/cengine/$PROJECT/journal" && echo yes || echo no)"
ps_out=$("$CENGINE" ps "$CONF")
check_eq "ps lists both containers running" 2 "$(grep -c ' running ' <<<"$ps_out")"
check "ps shows centos1's address" grep -q "centos1 .*eth0=$NET.2/24" <<<"$ps_out"

check "centos1 pings centos2" x centos1 -- ping -c 1 -W 2 "$NET.3"
check "centos2 pings centos1" x centos2 -- ping -c 1 -W 2 "$NET.2"
check "centos1 pings the gateway" x centos1 -- ping -c 1 -W 2 "$NET.1"
check "centos2 pings the gateway" x centos2 -- ping -c 1 -W 2 "$NET.1"
check "the host pings centos1" ping -c 1 -W 2 "$NET.2"
check "centos1 pings centos2 by name (/etc/hosts)" x centos1 -- ping -c 1 -W 2 centos2
check "centos1 pings c2 by hostname" x centos1 -- ping -c 1 -W 2 c2

procs=$(x centos1 -- ps -o pid,comm | tail -n +2)
check_eq "ps inside shows only pid 1 and ps" "1 init|ps" "$(awk '{print ($1==1 ? "1 " $2 : $2)}' <<<"$procs" | paste -sd'|')"
check_eq "hostname of centos1" centos1 "$(x centos1 -- hostname)"
check_eq "hostname of centos2" c2 "$(x centos2 -- hostname)"

links=$(x centos1 -- ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | paste -sd' ')
check_eq "centos1 sees only lo and eth0" "lo eth0" "$links"
check "eth0 has the configured address" sh -c "'$CENGINE' exec '$CONF' centos1 -- ip -o -4 addr show eth0 | grep -q 'inet $NET.2/24'"
# a network without IPv6: no link-local address flooding router solicitations and MLD over the bridge.
# Each absence counts only where ip ran on an interface that is there (status 0).
no_v6() { local out rc; out=$("$@" 2>&1); rc=$?; echo "status $rc: ${out:-no IPv6 address}"; }
check_eq "eth0 has no IPv6 address" "status 0: no IPv6 address" "$(no_v6 x centos1 -- ip -o -6 addr show dev eth0)"
check_eq "the bridge has no IPv6 address" "status 0: no IPv6 address" "$(no_v6 ip -o -6 addr show dev "$BRIDGE")"
host_veths=$(ip -o link show master "$BRIDGE" | awk -F': ' '{sub(/@.*/, "", $2); print $2}')
check_eq "two host veth ends are on the bridge" 2 "$(wc -w <<<"$host_veths")"
for v in $host_veths; do
	check_eq "the host veth end $v has no IPv6 address" "status 0: no IPv6 address" "$(no_v6 ip -o -6 addr show dev "$v")"
done
# MACs derived from the addresses, known in advance on both sides: no ARP broadcast to reach the host or be reached
mac_of() { printf '02:ce:%02x:%02x:%02x:%02x' $(tr . ' ' <<<"$1"); }
check_eq "centos1's eth0 has the MAC of its address" "$(mac_of "$NET.2")" "$(x centos1 -- cat /sys/class/net/eth0/address)"
check_eq "the host knows centos1's MAC (permanent neighbour entry)" "$NET.2 lladdr $(mac_of "$NET.2") PERMANENT" \
	"$(ip -4 neigh show dev "$BRIDGE" | grep "^$NET.2 " | xargs)"
check_eq "the bridge knows which port centos1 is behind (static forwarding entry)" "$(mac_of "$NET.2") static" \
	"$(bridge fdb show br "$BRIDGE" | awk -v m="$(mac_of "$NET.2")" '$1 == m {print $1, $NF}' | sort -u)"
check "centos1 knows the gateway's MAC (permanent neighbour entry)" sh -c "'$CENGINE' exec '$CONF' centos1 -- ip neigh show '$NET.1' | grep -q '$(mac_of "$NET.1") .*PERMANENT'"
check "default route via the gateway" sh -c "'$CENGINE' exec '$CONF' centos1 -- ip route | grep -q 'default via $NET.1'"

x centos1 -- sh -c 'echo secret >/tmp/only-in-centos1 && echo x >/etc/written-by-centos1'
check "a write in centos1 is visible in centos1" x centos1 -- test -e /tmp/only-in-centos1
check "centos2 does not see centos1's file" x centos2 -- test ! -e /tmp/only-in-centos1
check "the rootfs directory is unchanged" test ! -e "$ROOTFS/tmp/only-in-centos1" -a ! -e "$ROOTFS/etc/written-by-centos1"

check_eq "exec passes the exit status" 7 "$(x centos1 -- sh -c 'exit 7'; echo $?)"
check_eq "exec of a missing command is 127" 127 "$(x centos1 -- /no/such/cmd 2>/dev/null; echo $?)"

cg_file() { # controller file (v1 layout on hybrid hosts, unified on v2)
	local f=/sys/fs/cgroup/$1/cengine/$PROJECT/centos1/$2
	[ -e "$f" ] || f=/sys/fs/cgroup/cengine/$PROJECT/centos1/$3
	cat "$f" 2>/dev/null
}
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
	cg=$(cg_v2_dir "$PROJECT" centos1)	# in cengine-$PROJECT.scope on a systemd host
	check_eq "cpu.max holds cpu 0.5" "50000 100000" "$(cat "$cg/cpu.max")"
	check_eq "memory.max holds 50M" 52428800 "$(cat "$cg/memory.max")"
	check_eq "pids.max holds 100" 100 "$(cat "$cg/pids.max")"
	pid1=$("$CENGINE" ps "$CONF" | awk '$2=="centos1"{print $4}')
	check "centos1's init is in its cgroup" grep -qx "$pid1" "$cg/cgroup.procs"
else
	check_eq "cpu.cfs_quota_us holds cpu 0.5" 50000 "$(cg_file cpu cpu.cfs_quota_us)"
	check_eq "cpu.cfs_period_us is 100000" 100000 "$(cg_file cpu cpu.cfs_period_us)"
	check_eq "memory.limit_in_bytes holds 50M" 52428800 "$(cg_file memory memory.limit_in_bytes)"
	check_eq "pids.max holds 100" 100 "$(cg_file pids pids.max)"
	pid1=$("$CENGINE" ps "$CONF" | awk '$2=="centos1"{print $4}')
	check "centos1's init is in its memory cgroup" grep -qx "$pid1" /sys/fs/cgroup/memory/cengine/$PROJECT/centos1/cgroup.procs
	# the init and an exec'd command move themselves in (v1 `tasks`): every controller, not only memory
	for ctl in cpu pids freezer; do
		check "centos1's init is in its $ctl cgroup" grep -qE "^[0-9]+:([a-z,]*,)?$ctl(,[a-z,]*)?:/cengine/$PROJECT/centos1\$" /proc/$pid1/cgroup
		check "an exec'd command is in centos1's $ctl cgroup" sh -c "'$CENGINE' exec '$CONF' centos1 -- cat /proc/self/cgroup | grep -qE '^[0-9]+:([a-z,]*,)?$ctl(,[a-z,]*)?:/\$'"
	done
fi
check "the container's processes run in their own pid namespace" test "$(readlink /proc/$pid1/ns/pid)" != "$(readlink /proc/self/ns/pid)"
check "the container's processes run in their own net namespace" test "$(readlink /proc/$pid1/ns/net)" != "$(readlink /proc/self/ns/net)"

check_eq "a second up says it is already up" "project $PROJECT is already up; nothing changed" "$("$CENGINE" up "$CONF")"
check "down returns 0" "$CENGINE" down "$CONF"
after=$(snapshot "$CONF")
check_eq "down leaves the host as before up" "$before" "$after"
check "state dir is gone" test ! -e "/run/cengine/$PROJECT"
check "down of a project that is down succeeds" "$CENGINE" down "$CONF"
finish
