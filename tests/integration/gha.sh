#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gha.sh: examples/ci/github-actions.yml's steps, run as they are (examples/ci/gha-steps.sh, the
# workflow's order) on a Docker-like host imitated in a netns: the demo tree, doctor, up, check and
# down pass and leave the ruleset as it was; when check fails (the bridge taken down), the always()
# step's down still cleans up. The deps and build steps (apt-get, a second build) are not run here.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fw_lib.sh"
require_root
fw_tools
EX=$TOP_SRCDIR/examples/ci
command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null || unavailable "python3 with yaml reads the workflow"

setup_project gha
CONFS=()
export CENGINE ROOTFS=$WORK/demo CONF=$WORK/pair.conf
# examples/pair.conf with this test's project name and demo tree (its subnet is free in the netns)
sed -e "s|^name = \"pair\";|name = \"$PROJECT\";|" -e "s|/srv/rootfs/demo|$ROOTFS|" \
	"$TOP_SRCDIR/examples/pair.conf" >"$CONF"

# the workflow's steps: "<if> <run>" a line, in order
steps=$(python3 -c '
import sys, yaml
for s in yaml.safe_load(open(sys.argv[1]))["jobs"]["pair"]["steps"]:
    if "run" in s: print(s.get("if", "-"), s["run"])' "$EX/github-actions.yml")
check_eq "the workflow's steps are the script's, in order, down always" \
	"- deps|- build|- rootfs|- doctor|- up|- check|always() down" \
	"$(sed -E 's|^(\S+) (sudo )?examples/ci/gha-steps.sh |\1 |' <<<"$steps" | paste -sd'|')"

NS=tg$$docker
fw_netns "$NS"
at_exit "nsenter --net=/run/netns/$NS '$CENGINE' down '$CONF' --timeout 1 >/dev/null 2>&1"
fw_docker "$NS"
before=$(fw_ruleset "$NS")
step() { in_ns "$NS" sh "$EX/gha-steps.sh" "$1" >"$WORK/$1.out" 2>&1; }
for s in rootfs doctor up check down; do
	check "step $s passes" step "$s"
done
check "up said it put allow rules in DOCKER-USER" grep -q "allow rules .* ip filter DOCKER-USER" "$WORK/up.out"
check "check: both containers and the gateway" grep -q "^check: centos1 and centos2 reach each other and the gateway" "$WORK/check.out"
check_eq "the ruleset after down is the one before" "$before" "$(fw_ruleset "$NS")"

# a failing check: the always() down still takes it all away
check "step up passes again" step up
in_ns "$NS" ip link set "$(sed -n 's/^network lan: bridge \([^,]*\),.*/\1/p' <("$CENGINE" check "$CONF"))" down
check "step check fails once the bridge is down" sh -c "! nsenter --net=/run/netns/$NS sh '$EX/gha-steps.sh' check >/dev/null 2>&1"
check "step down (always) passes" step down
check_eq "the ruleset after that down is the one before" "$before" "$(fw_ruleset "$NS")"
check_eq "nothing of the project is left" "" "$(ls "/run/cengine/$PROJECT" 2>/dev/null)"
finish
