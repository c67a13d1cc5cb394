#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# doctor.sh: `cengine doctor` on this host (its netem is what tc finds; this project's CI kernel has none):
# WARN without a file, FAIL and exit 1 with a file whose link has a delay; --json parses; in a
# Docker-like and an iptables-legacy netns it reports the forward drop and what up does about it; it
# changes nothing (links, ruleset).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fw_lib.sh"
require_root
fw_tools
command -v python3 >/dev/null || unavailable "python3 is needed to parse --json"

setup_project doctor
ROOTFS=$(busybox_rootfs)
write_conf "$CONF" <<CONF
  { name = "a"; ip = "$NET.2"; }
CONF
DELAY=$WORK/delay.conf
write_conf "$DELAY" <<CONF
  { name = "a"; interfaces = ( { network = "lan"; ip = "$NET.2"; delay = "10ms"; } ); }
CONF
CONFS=()

# line NAME [ARGS...]: doctor's line for check NAME.
line() { local name=$1; shift; "$CENGINE" doctor "$@" | grep -E "^(OK|WARN|FAIL) +$name "; }

# does the kernel have netem? The test's own probe, with tc in a throwaway netns.
if unshare -n sh -c 'ip link add d0 type dummy && tc qdisc add dev d0 root netem delay 1ms' 2>/dev/null; then
	netem=OK
else
	netem=missing
fi
out=$("$CENGINE" doctor)
rc=$?
check_eq "doctor prints one line a check and a total" 14 "$(wc -l <<<"$out")"
check_eq "every check line is OK, WARN or FAIL" 13 "$(head -n 13 <<<"$out" | grep -cE '^(OK|WARN|FAIL)  ')"
check "the bridge, veth and qdisc probes worked (a private netns)" grep -q '^OK    bridge ' <<<"$out"
check "the probes made their links in their own netns, none on the host" sh -c "! ip -o link show | grep -q cedoctor"
if [ $netem = missing ]; then
	check "without a file, the missing netem is a WARN" grep -q '^WARN  netem .*no netem qdisc' <<<"$out"
	check "  with its fix" grep -q '^WARN  netem .*fix: modprobe sch_netem' <<<"$out"
	check "a file whose interface has a delay: netem is a FAIL" sh -c "'$CENGINE' doctor '$DELAY' | grep -q '^FAIL  netem .*and the file uses them'"
	check_eq "  and doctor exits 1" 1 "$("$CENGINE" doctor "$DELAY" >/dev/null; echo $?)"
	check "a file without impairments: netem stays a WARN" sh -c "'$CENGINE' doctor '$CONF' | grep -q '^WARN  netem '"
else
	check "netem is there: OK" grep -q '^OK    netem ' <<<"$out"
	check_eq "a file with a delay passes the netem check" 1 "$(line netem "$DELAY" | grep -c '^OK')"
fi
want=0
! grep -q '^FAIL' <<<"$out" || want=1
check_eq "doctor exits 1 with a FAIL line, else 0" "$want" "$rc"
check "the total names the file" sh -c "'$CENGINE' doctor '$CONF' | tail -n 1 | grep -q ' for $CONF\$'"

"$CENGINE" doctor "$DELAY" --json >"$WORK/doctor.json"
check "--json parses" python3 -m json.tool "$WORK/doctor.json"
check_eq "--json: the file and 13 checks, each with name, status, what and fix" "$DELAY 13 ok" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = all(set(c) == {"name", "status", "what", "fix"} and c["status"] in ("OK", "WARN", "FAIL") for c in d["checks"])
print(d["file"], len(d["checks"]), "ok" if ok else "bad")' "$WORK/doctor.json")"
check_eq "--json: netem's status as the text says" "$(line netem "$DELAY" | awk '{print $1}')" \
	"$(python3 -c 'import json, sys; print([c["status"] for c in json.load(open(sys.argv[1]))["checks"] if c["name"] == "netem"][0])' "$WORK/doctor.json")"
check_eq "a bad file: exit 2" 2 "$(echo 'name = ' >"$WORK/bad.conf"; "$CENGINE" doctor "$WORK/bad.conf" >/dev/null 2>&1; echo $?)"

# a Docker host and an iptables-legacy one, each in its own netns
NS=td$$docker
fw_netns "$NS"
fw_docker "$NS"
before=$(fw_ruleset "$NS")
fw=$(in_ns "$NS" "$CENGINE" doctor "$CONF" | grep '^[A-Z]* *firewall ')
check "docker: doctor reports the forward drop" grep -q "^OK    firewall .*(docker, br_netfilter on) drops what bridges carry (ip filter FORWARD policy drop)" <<<"$fw"
check "docker: and that up adds allow rules in DOCKER-USER" grep -q "up adds allow rules for the project's bridges in ip filter DOCKER-USER" <<<"$fw"
check_eq "docker: doctor changed nothing in the ruleset" "$before" "$(fw_ruleset "$NS")"

NS=td$$legacy
fw_netns "$NS"
fw_legacy "$NS"
fw=$(in_ns "$NS" "$CENGINE" doctor "$CONF" | grep '^[A-Z]* *firewall ')
check "legacy: doctor reports the drop and that up adds rules through libip4tc" \
	grep -q "^OK    firewall .*(iptables-legacy, br_netfilter on) drops .* in iptables-legacy filter DOCKER-USER" <<<"$fw"
nolib=$(no_libiptc)
fw=$(LD_LIBRARY_PATH=$nolib in_ns "$NS" "$CENGINE" doctor "$CONF" | grep '^[A-Z]* *firewall ')
check "legacy without libip4tc: with a file, the drop cengine cannot open is a FAIL" \
	grep -q "^FAIL  firewall .*iptables-legacy filter FORWARD policy DROP" <<<"$fw"
check "legacy without libip4tc: the fix names the commands for the file's bridge" \
	grep -q "for b in $BRIDGE; do for t in iptables-legacy ip6tables-legacy; do" <<<"$fw"
check_eq "legacy without libip4tc: doctor FILE exits 1" 1 \
	"$(LD_LIBRARY_PATH=$nolib in_ns "$NS" "$CENGINE" doctor "$CONF" >/dev/null; echo $?)"
check "legacy without libip4tc: without a file it is a WARN" \
	sh -c "LD_LIBRARY_PATH=$nolib nsenter --net=/run/netns/$NS '$CENGINE' doctor | grep -q '^WARN  firewall '"
finish
