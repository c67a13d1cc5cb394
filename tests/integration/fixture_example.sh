#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fixture_example.sh: examples/ci/fixture.conf and fixture-check.sh run as written (moved only to this test's rootfs,
# project name and subnets), under sudo's SUDO_UID: the client's results come back owned by that user.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/topo_lib.sh"
require_root

setup_project exfx
subnets N2
own_rootfs
CI=$WORK/ci
cp -a "$TOP_SRCDIR/examples/ci" "$CI"
mkdir -p "$CI/fixture/results"
chown 4321:4321 "$CI/fixture/results"	# the invoking user's checkout
for f in "$CI/fixture.conf" "$CI/fixture/tests/run.sh"; do
	sed -i -e "s|/srv/rootfs/demo|$ROOTFS|; s|^name = \"fixture\"|name = \"$PROJECT\"|" \
		-e "s|10\.31\.1\.|$NET.|g; s|10\.31\.2\.|$N2.|g" "$f"
done
CONF=$CI/fixture.conf
register_conf "$CONF"

check "examples/ci/fixture.conf is valid" "$CENGINE" check "$CONF"
before=$(snapshot "$CONF")
out=$(SUDO_UID=4321 SUDO_GID=4321 CENGINE=$CENGINE sh "$CI/fixture-check.sh" 2>&1)
rc=$?
diag "$out"
check_eq "fixture-check.sh passes (the client got the page through the router)" 0 "$rc"
check_eq "the client's report is the invoking user's (SUDO_UID 4321)" "4321:4321" "$(stat -c %u:%g "$CI/fixture/results/report.txt")"
check "the first hop was the router (sysctls ip_forward, no forward key)" grep -qx "first hop: $NET.254" "$CI/fixture/results/report.txt"
check "the client ran as its root (uid 0 inside)" grep -qx "user: 0:0" "$CI/fixture/results/report.txt"
check_eq "fixture-check.sh took everything down" "$before" "$(snapshot "$CONF")"

# the parts, with the project up
check "up again" "$CENGINE" up "$CONF"
web=$(pid_of "$CONF" web)
web=$(awk '{print $1}' "/proc/$web/task/$web/children")
base=$(awk '{print $2}' "/proc/$(pid_of "$CONF" web)/uid_map")
check_eq "web: httpd runs as www (uid 1000 inside, $((base + 1000)) on the host)" "$((base + 1000))" \
	"$(awk '$1 == "Uid:" {print $2}' "/proc/$web/status")"
check_eq "web: its page is the bound directory's (from the router: the client has exited)" "$(cat "$CI/fixture/www/index.html")" \
	"$("$CENGINE" exec "$CONF" router -- wget -q -O - "http://$N2.10:8080/")"
check_eq "db: its data dir is a tmpfs of 32M" "tmpfs size=32768k,mode=700" \
	"$("$CENGINE" exec "$CONF" db -- awk '$2 == "/var/lib/db" {print $3, $4}' /proc/mounts | sed 's/rw,nosuid,nodev,relatime,//; s/,uid=.*//')"
check_eq "router: ip_forward 1 inside, by its sysctls" 1 "$("$CENGINE" exec "$CONF" router -- cat /proc/sys/net/ipv4/ip_forward)"
check "down" "$CENGINE" down "$CONF"
check_eq "nothing left" "$before" "$(snapshot "$CONF")"
finish
