#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fixture_env.sh: dns, dns_search, extra_hosts, ulimits, env_file, stop_signal and stop_timeout, seen from inside the containers and from the host.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project fxenv
ROOTFS=$(busybox_rootfs)
cat >"$WORK/app.env" <<'ENV'
# the app's settings
A=from_file
B="two words"
export C=3

ENV
write_conf "$CONF" <<CONF
  { name = "a"; ip = "$NET.2"; dns = [ "$NET.53", "fd00::53" ]; dns_search = [ "lab.test", "ci.test" ];
    extra_hosts = [ "db-alias:$NET.3", "v6host:[fd00::1]", "other=$NET.4" ];
    ulimits = [ "nofile=1000:2000", "core=0", "nproc=3000:4000" ];
    env_file = [ "app.env" ]; env = [ "A=from_env" ];
    command = [ "sh", "-c", "env >/tmp/env; ulimit -n >/tmp/lim; ulimit -Hn >>/tmp/lim; exec sleep 1000" ]; },
  { name = "b"; ip = "$NET.3"; stop_signal = "SIGINT"; stop_timeout = 8;
    command = [ "sh", "-c", "trap '' TERM; trap 'exit 0' INT; while :; do sleep 0.1; done" ]; },
  { name = "c"; ip = "$NET.4"; stop_signal = 15; stop_timeout = 1;
    command = [ "sh", "-c", "trap '' TERM INT; while :; do sleep 0.1; done" ]; },
  { name = "nu"; ip = "$NET.5"; userns = false; dns = [ "$NET.54" ]; extra_hosts = [ "nu-alias:$NET.2" ];
    ulimits = [ "nofile=900:1900" ]; env_file = [ "app.env" ]; command = [ "sh", "-c", "env >/tmp/env; exec sleep 1000" ]; }
CONF

plan=$("$CENGINE" check "$CONF")
check "check shows dns" grep -qx "  dns $NET.53 fd00::53" <<<"$plan"
check "check shows dns_search" grep -qx "  dns_search lab.test ci.test" <<<"$plan"
check "check shows an extra host (IPv6 brackets gone)" grep -qx "  extra_host v6host fd00::1" <<<"$plan"
check "check shows ulimits" grep -qx "  ulimits nofile=1000:2000 core=0:0 nproc=3000:4000" <<<"$plan"
check "check shows env_file's values, env overriding" grep -qx "  env A=from_env" <<<"$plan"
check "check shows stop_signal" grep -qx "  stop_signal SIGINT (2)" <<<"$plan"
check "check shows stop_timeout" grep -qx "  stop_timeout 1s" <<<"$plan"

before=$(snapshot "$CONF")
"$CENGINE" up "$CONF" >/dev/null || bail "up failed"
wait_for 5 x a -- test -s /tmp/lim

resolv=$(x a -- cat /etc/resolv.conf)
check "resolv.conf has the nameservers in order" \
	test "$(grep ^nameserver <<<"$resolv" | tr '\n' ' ')" = "nameserver $NET.53 nameserver fd00::53 "
check "resolv.conf has the search domains" grep -qx "search lab.test ci.test" <<<"$resolv"
check "a container without dns keeps the rootfs's resolv.conf (none here)" \
	sh -c "! '$CENGINE' exec '$CONF' b -- test -e /etc/resolv.conf"
hosts=$(x a -- cat /etc/hosts)
check "extra_hosts come after the generated names" \
	test "$(grep -n "^$NET.4[[:space:]]c$" <<<"$hosts" | cut -d: -f1)" -lt "$(grep -n "db-alias" <<<"$hosts" | cut -d: -f1)"
check "an IPv6 extra host" grep -qxP "fd00::1\tv6host" <<<"$hosts"
check "the name=address form" grep -qxP "$NET.4\tother" <<<"$hosts"
check "the extra name resolves and answers (ping db-alias reaches b)" x a -- ping -c 1 -W 2 db-alias

check_eq "the command's soft and hard nofile" "1000 2000" "$(x a -- cat /tmp/lim | tr '\n' ' ' | sed 's/ $//')"
pid=$(pid_of "$CONF" a)
limits=$(cat "/proc/$pid/limits")
check "from the host: pid 1's nofile is 1000/2000" grep -Eq "^Max open files +1000 +2000 " <<<"$limits"
check "from the host: core is 0/0" grep -Eq "^Max core file size +0 +0 " <<<"$limits"
check "from the host: nproc 3000/4000" grep -Eq "^Max processes +3000 +4000 " <<<"$limits"
check_eq "exec gets the container's nofile too" "1000" "$(x a -- sh -c 'ulimit -n')"

# the same without the user namespace
check_eq "userns = false: resolv.conf" "nameserver $NET.54" "$(x nu -- grep ^nameserver /etc/resolv.conf)"
check "userns = false: extra host answers" x nu -- ping -c 1 -W 2 nu-alias
check "userns = false: nofile 900/1900 (from the host)" grep -Eq "^Max open files +900 +1900 " "/proc/$(pid_of "$CONF" nu)/limits"
wait_for 5 x nu -- test -s /tmp/env
check "userns = false: env_file" grep -qx "B=two words" <<<"$(x nu -- cat /tmp/env)"
envs=$(x a -- cat /tmp/env)
check "env overrides env_file" grep -qx "A=from_env" <<<"$envs"
check "env_file's quoted value loses its quotes" grep -qx "B=two words" <<<"$envs"
check "env_file's export line" grep -qx "C=3" <<<"$envs"

# each container's name, then its stop_signal and stop_timeout (no JSON tool on a bare CI image: grep -o)
stops=$("$CENGINE" ps --json "$CONF" | sed 's/.*"containers"://' | tr -d ' \n' |
	grep -o '"name":"[^"]*"\|"stop_signal":[0-9]*,"stop_timeout":[0-9.a-z]*' | sed 's/^"name":"\(.*\)"$/\1/; s/^"stop_signal":\([0-9]*\),"stop_timeout":\(.*\)/\1:\2/' | paste -sd' ')
check_eq "ps --json shows each container's stop_signal and stop_timeout" "a 15:null b 2:8 c 15:1 nu 15:null" "$stops"
journal=/run/cengine/$PROJECT/journal
check "the journal has b's stop line before its pid" \
	test "$(grep -n "^stop b 2 8000$" "$journal" | cut -d: -f1)" -lt "$(grep -n "^pid b " "$journal" | cut -d: -f1)"
start=$(now_ms)
"$CENGINE" down "$CONF"
took=$(($(now_ms) - start))
# b ignores SIGTERM and stops on SIGINT at once; c ignores both and is killed after its 1 s
check "down took c's stop_timeout, not b's 8 s nor the default 10 s ($took ms)" test "$took" -ge 900 -a "$took" -lt 4000
check_eq "down left nothing" "$before" "$(snapshot "$CONF")"

# down -t wins over stop_timeout
"$CENGINE" up "$CONF" >/dev/null || bail "up failed"
start=$(now_ms)
"$CENGINE" down -t 0 "$CONF"
took=$(($(now_ms) - start))
check "down -t 0 kills at once ($took ms)" test "$took" -lt 900
check_eq "and leaves nothing" "$before" "$(snapshot "$CONF")"

# a hard limit above ours: raised where cengine has CAP_SYS_RESOURCE, else refused with the reason
hard=$(ulimit -Hn)
sed -i "s/nofile=1000:2000/nofile=1000:$((hard + 1000))/" "$CONF"
if grep -q "^CapEff:.*" /proc/self/status && (( (0x$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status) >> 24) & 1 )); then
	"$CENGINE" up "$CONF" >/dev/null 2>"$WORK/err"
	check_eq "a hard nofile above ours is raised (CAP_SYS_RESOURCE)" "$((hard + 1000))" "$(x a -- sh -c 'ulimit -Hn')"
	"$CENGINE" down -t 0 "$CONF"
else
	"$CENGINE" up "$CONF" >/dev/null 2>"$WORK/err"
	check_eq "without CAP_SYS_RESOURCE a hard limit above ours fails up" 1 "$?"
	check "saying why" grep -q "ulimits.\[0\]: the hard limit is $hard here; raising it needs CAP_SYS_RESOURCE" "$WORK/err"
fi
check_eq "nothing left" "$before" "$(snapshot "$CONF")"
sed -i "s/nofile=1000:$((hard + 1000))/nofile=1000:2000/" "$CONF"

# a bad env file line is an error of the env file: FILE:LINE, exit 2, nothing made
printf 'GOOD=1\nthis is not a setting\n' >"$WORK/app.env"
before=$(snapshot "$CONF")
"$CENGINE" up "$CONF" >/dev/null 2>"$WORK/err"
check_eq "a bad env file: exit 2" 2 "$?"
check_eq "its line is named, not shown (it may be another file's)" \
	"$WORK/app.env:2: containers.[0].env_file.[0]: not KEY=VALUE (KEY of A-Z a-z 0-9 _), a blank line or a # comment" "$(cat "$WORK/err")"
check_eq "nothing made" "$before" "$(snapshot "$CONF")"
finish
