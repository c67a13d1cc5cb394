#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci_test.sh: `cengine test`: ping, tcp, udp and run checks from inside real containers (one of them with
# an empty root tree: the probes need no tool in the image), expect = "fail", a reach/unreach matrix
# across two networks, TAP lines in file order, JUnit XML and JSON that hold hostile output safely,
# --up --down leaving the host as before, and -p running the same file as another project.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root
command -v python3 >/dev/null || unavailable "python3 (to read the JUnit XML and JSON)"

setup_project citest
own_rootfs
subnets NET2
EMPTY=$WORK/empty
mkdir -p "$EMPTY"
NETWORKS="$(lan), { name = \"far\"; subnet = \"$NET2.0/24\"; gateway = \"$NET2.1\"; }"

# a: busybox, listens on tcp 8080 (nc) and udp 67 (udhcpd); b: an empty root tree (pid 1 only waits);
# far: on another network
write_conf "$CONF" "" "tests = (
  { from = \"b\"; ping = \"a\"; },
  { from = \"b\"; tcp = \"a:8080\"; retries = 20; timeout = 0.5; },
  { from = \"b\"; tcp = \"a:8081\"; expect = \"fail\"; },
  { from = \"b\"; udp = \"a:67\"; timeout = 0.3; retries = 30; },
  { from = \"b\"; udp = \"a:69\"; expect = \"fail\"; },
  { from = \"a\"; run = [ \"sh\", \"-c\", \"hostname; echo x\" ]; output = \"^a\$\"; },
  { from = \"a\"; ping = \"$NET.1\"; count = 5; max_loss = \"0%\"; max_rtt = \"500ms\"; },
  { reach = [ \"a\", \"b\" ]; },
  { unreach = ( [ \"b\", \"far\" ] ); timeout = 0.5; }
);" <<CONF
  { name = "a"; interfaces = ( { network = "lan"; ip = "auto"; } );
    command = [ "sh", "-c", "printf 'interface eth0\\nstart $NET.100\\nend $NET.110\\nlease_file /tmp/l\\n' >/tmp/u.conf;
      touch /tmp/l; udhcpd -f /tmp/u.conf & nc -ll -p 8080 -e true & exec sleep 1000" ]; },
  { name = "b"; interfaces = ( { network = "lan"; ip = "auto"; } ); rootfs = "$EMPTY"; },
  { name = "far"; interfaces = ( { network = "far"; ip = "auto"; } ); }
CONF

plan=$("$CENGINE" check "$CONF")
check_eq "check lists the checks, matrices expanded (11)" 11 "$(grep -c '^test ' <<<"$plan")"
check "check shows an unreach pair both ways" grep -q "far ping b (unreach), expect fail" <<<"$plan"

before=$(snapshot "$CONF")
out=$("$CENGINE" test --up --down --junit "$WORK/out.xml" "$CONF")
rc=$?
check_eq "test --up --down: exit 0 when every check passes" 0 "$rc"
diag "$out"
check_eq "TAP plan first" "1..11" "$(head -n 1 <<<"$out")"
check_eq "11 ok lines, in file order" "$(seq 1 11 | paste -sd' ')" \
	"$(sed -n 's/^ok \([0-9]*\) - .*/\1/p' <<<"$out" | paste -sd' ')"
check "the empty root tree answers ping (cengine probes, no ping in the image)" grep -q "^ok 1 - b ping a ($NET\.[0-9]*)" <<<"$out"
# seen CHECK TEXT: the "# what was seen" line of check CHECK in $out holds TEXT
seen() { grep -A1 "^ok $1 " <<<"$out" | tail -n 1 | grep -qF -- "$2"; }
check "tcp to a closed port is refused" seen 3 "refused"
check "udp to a closed port gets the ICMP error" seen 5 "refused"
check "run matched its output per line" grep -q '^ok 6 - a run sh -c "hostname; echo x"' <<<"$out"
check "ping with count and max_loss sends every request" seen 7 "5/5 replies"
check "another network cannot be reached" grep -q "^ok 11 - far ping b fails" <<<"$out"
check_eq "--down: the host is as before" "$before" "$(snapshot "$CONF")"
check_eq "JUnit: one suite of 11 cases, 0 failures" "11 0" "$(python3 -c '
import sys, xml.etree.ElementTree as E
s = E.parse(sys.argv[1]).getroot().find("testsuite")
print(len(s.findall("testcase")), s.get("failures"))' "$WORK/out.xml")"

# failures: what was seen, escaped; hostile output from a container stays inert in XML, JSON and TAP
NETWORKS=$(lan)
write_conf "$WORK/bad.conf" "" "tests = (
  { from = \"a\"; run = [ \"sh\", \"-c\", \"printf '<x a=\\\"&\\\"> \\\\033[31m \\\\001 \\\\377'; exit 3\" ]; },
  { from = \"a\"; tcp = \"a:8081\"; },
  { from = \"a\"; ping = \"a\"; expect = \"fail\"; timeout = 0.3; }
);" <<CONF
  { name = "a"; ip = "auto"; }
CONF
"$CENGINE" up "$WORK/bad.conf" >/dev/null
out=$("$CENGINE" test --junit "$WORK/bad.xml" "$WORK/bad.conf")
check_eq "a failed check: exit 1" 1 "$?"
diag "$out"
check_eq "three not ok lines" 3 "$(grep -c '^not ok' <<<"$out")"
check "TAP shows the exit status and output, controls escaped" grep -q '^# exit 3; output: <x a="&"> \\x1b\[31m \\x01 \\xff' <<<"$out"
check "no raw ESC on the terminal" sh -c "! printf %s \"\$1\" | grep -q \$'\\033'" _ "$out"
check "the JUnit file is well-formed XML with 3 failures" python3 -c '
import sys, xml.etree.ElementTree as E
s = E.parse(sys.argv[1]).getroot().find("testsuite")
assert s.get("failures") == "3", s.get("failures")
f = s.findall("testcase")[0].find("failure").text
assert "<x a=\"&\">" in f and "\x1b" not in f, f' "$WORK/bad.xml"
check "--json is one JSON document with what was seen" python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["failed"] == 3 and d["passed"] == 0, d
assert d["checks"][2]["expect"] == "fail" and not d["checks"][2]["passed"]
assert "\x1b" in d["checks"][0]["seen"] or "\\x1b" in d["checks"][0]["seen"]' < <("$CENGINE" test --json "$WORK/bad.conf")
"$CENGINE" down "$WORK/bad.conf" --timeout 1 >/dev/null

# -p: the same file as another project, up at the same time as the first (names derive from the project)
NETWORKS="{ name = \"lan\"; subnet = \"$NET.0/24\"; gateway = \"$NET.1\"; }"
write_conf "$WORK/p.conf" "" "tests = ( { from = \"a\"; ping = \"b\"; } );" <<CONF
  { name = "a"; ip = "auto"; }, { name = "b"; ip = "auto"; }
CONF
other=t-citest-p$$
at_exit "'$CENGINE' down '$other' --timeout 1 >/dev/null 2>&1"
check "-p NAME: test --up as another project" "$CENGINE" test -p "$other" --up -q "$WORK/p.conf"
check "ps -p NAME shows it" sh -c "'$CENGINE' ps -p '$other' | grep -q ' a '"
check "check --project NAME names it" sh -c "'$CENGINE' check --project '$other' '$WORK/p.conf' | grep -q '^project $other '"
check "the file's own project is not up" sh -c "! '$CENGINE' ps '$WORK/p.conf' | grep -q ' a '"
check "down -p NAME takes it down" "$CENGINE" down -p "$other" --timeout 1
check "-p with a bad name: exit 2" sh -c "'$CENGINE' check -p 'a/b' '$WORK/p.conf'; [ \$? = 2 ]"

# subnet = "auto" and subnet6 = "auto": no address in the file; ps --json and /etc/hosts show the picks
NETWORKS='{ name = "lan"; subnet = "auto"; gateway = "auto"; subnet6 = "auto"; gateway6 = "auto"; }'
write_conf "$WORK/auto.conf" "" "tests = ( { from = \"a\"; ping = \"b\"; } );" <<CONF
  { name = "a"; ip = "auto"; ipv6 = "auto"; }, { name = "b"; ip = "auto"; ipv6 = "auto"; }
CONF
check "check shows the stand-ins" grep -q "subnet6 auto/64, gateway6 auto+1" <<<"$("$CENGINE" check "$WORK/auto.conf")"
check "up of a file without addresses" "$CENGINE" up -q "$WORK/auto.conf"
doc=$("$CENGINE" ps --json "$WORK/auto.conf")
sub=$(python3 -c 'import json,sys; n=json.load(sys.stdin)["networks"][0]; print(n["subnet"], n["subnet6"])' <<<"$doc")
diag "picked: $sub"
check "ps --json: a /24 of the pool 10.250.0.0/16" grep -Eq '^10\.250\.[0-9]+\.0/24 ' <<<"$sub"
check "ps --json: a /64 of the pool fdce:250::/48" grep -Eq ' fdce:250:[0-9a-f:]*/64$' <<<"$sub"
b6=$("$CENGINE" exec "$WORK/auto.conf" b -- cat /etc/hosts | awk '$2 == "b" && $1 ~ /:/ { print $1 }')
check "/etc/hosts has b's picked IPv6 address, with its IPv4 host part" grep -Eq '^fdce:250:[0-9a-f:]*:3$' <<<"$b6"
check "a pings b over the picked IPv6 subnet" "$CENGINE" exec "$WORK/auto.conf" a -- ping -c 1 -W 2 "${b6:-none}"
check "test (without --up) finds the picked addresses" "$CENGINE" test -q "$WORK/auto.conf"
check "down" "$CENGINE" down "$WORK/auto.conf" --timeout 1

# IPv6 probes: ICMPv6 echo (strict count), a connect to [addr]:port, an address nobody has
P6=fd77:$(printf '%x' $(($$ % 65536)))
NETWORKS="$(lan "subnet6 = \"$P6::/64\"; gateway6 = \"$P6::1\";")"
write_conf "$WORK/v6.conf" "" "tests = (
  { from = \"a\"; ping = \"$P6::3\"; count = 3; max_loss = \"0%\"; },
  { from = \"a\"; ping = \"$P6::1\"; },
  { from = \"a\"; tcp = \"[$P6::3]:8080\"; retries = 20; timeout = 0.5; },
  { from = \"a\"; ping = \"$P6::99\"; expect = \"fail\"; timeout = 0.5; }
);" <<CONF
  { name = "a"; ip = "auto"; ipv6 = "auto"; }, { name = "b"; ip = "auto"; ipv6 = "auto"; command = [ "nc", "-ll", "-p", "8080", "-e", "true" ]; }
CONF
out=$("$CENGINE" test --up --down "$WORK/v6.conf")
check_eq "IPv6 ping, connect and an unanswered ping: all pass" 0 "$?"
diag "$out"
check "ping over IPv6 sent every request" seen 1 "3/3 replies"

# --down whatever the outcome: SIGTERM while a check runs stops the checks and takes the project down
NETWORKS=$(lan)
write_conf "$WORK/int.conf" "" "tests = ( { from = \"a\"; run = [ \"sleep\", \"60\" ]; timeout = 120; },
  { from = \"a\"; ping = \"a\"; } );" <<CONF
  { name = "a"; ip = "auto"; }
CONF
before=$(snapshot "$WORK/int.conf")
"$CENGINE" test --up --down -j 1 --junit "$WORK/int.xml" "$WORK/int.conf" >"$WORK/int.out" 2>"$WORK/int.err" &
tpid=$!
check "the project comes up and its first check runs" wait_for 10 sh -c \
	"'$CENGINE' exec '$WORK/int.conf' a -- ps | grep -q 'sleep 60'"
kill -TERM "$tpid"
wait "$tpid"
check_eq "test exits 1 on SIGTERM" 1 "$?"
check_eq "both checks fail, interrupted and not run" "2" "$(grep -c '^not ok' "$WORK/int.out")"
check "the second was not run" grep -q '^# not run (interrupted)' "$WORK/int.out"
check "it says so on stderr" grep -q 'interrupted by signal 15; the project is down' "$WORK/int.err"
check "the JUnit file has both failures" grep -q 'tests="2" failures="2"' "$WORK/int.xml"
check_eq "--down took it down" "$before" "$(snapshot "$WORK/int.conf")"
finish
