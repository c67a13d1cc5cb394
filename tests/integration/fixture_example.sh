#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fixture_example.sh: examples/ci/fixture.conf as issue 14's "done when" has it, run by examples/ci/fixture-check.sh
# as a CI job (as root, and as under sudo: SUDO_UID), checked from the host and from inside; and a broken web fails it.
. "$(dirname "$0")/../lib.sh"
require_root

EX=$TOP_SRCDIR/examples/ci
setup_project fxex
subnets N2
ROOTFS=$(busybox_rootfs)
mkdir -p "$WORK/ci"
cp -a "$EX/fixture" "$EX/fixture-check.sh" "$WORK/ci/"
sed -e "s|/srv/rootfs/demo|$ROOTFS|; s|^name = \"fixture\"|name = \"$PROJECT\"|; s|10\.31\.0\.|$NET.|g; s|10\.32\.0\.|$N2.|g" \
	"$EX/fixture.conf" >"$WORK/ci/fixture.conf"
sed -i "s|10\.31\.0\.|$NET.|g" "$WORK/ci/fixture/client.env"
CONF=$WORK/ci/fixture.conf
register_conf "$CONF"
RES=$WORK/ci/fixture/results

check "examples/ci/fixture.conf is valid" "$CENGINE" check "$CONF"
before=$(snapshot "$CONF")
out=$(CENGINE=$CENGINE sh "$WORK/ci/fixture-check.sh" 2>&1); rc=$?
check_eq "fixture-check.sh (as root) exits 0 and says passed" "0 fixture check: passed" "$rc $(tail -n 1 <<<"$out")"
check_eq "the results came back to the host: web, db, the router as the first hop, the client ran as root" \
	"ok web: http://web:8080/index.html|ok db: db:5432|ok first hop: $NET.254|user: 0:0" "$(paste -sd'|' "$RES/result.txt")"
check_eq "owned by root, who ran it" "0:0" "$(stat -c %u:%g "$RES/result.txt")"
check_eq "fixture-check.sh left nothing" "$before" "$(snapshot "$CONF")"

# under sudo: the results belong to the invoking user (the dir is theirs, as a checkout would be)
chown 4242:4242 "$RES"
out=$(SUDO_UID=4242 SUDO_GID=4242 CENGINE=$CENGINE sh "$WORK/ci/fixture-check.sh" 2>&1); rc=$?
check_eq "under SUDO_UID=4242 fixture-check.sh exits 0" "0 fixture check: passed" "$rc $(tail -n 1 <<<"$out")"
check_eq "the results are owned by the invoking user, not uid 100000+" "4242:4242" "$(stat -c %u:%g "$RES/result.txt")"
check_eq "and it left nothing" "$before" "$(snapshot "$CONF")"

# from inside, while it is up: web runs as uid 1000, db's data dir is a tmpfs with its ulimit, the router forwards by its sysctl
rm -f "$RES/result.txt" "$RES/done"
"$CENGINE" up -q "$CONF" || bail "up failed"
web=$(pid_of "$CONF" web)
check_eq "web's httpd runs as www, uid 1000 (inside)" 1000 \
	"$("$CENGINE" exec "$CONF" web -- sh -c 'for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = httpd ] && stat -c %u $p; done' | head -n 1)"
base=$(awk '$1 == 0 { print $2 }' "/proc/$web/uid_map")
httpd=$(pgrep -P "$web" | head -n 1)
check_eq "from the host: httpd's uid is its user namespace's 1000 (base $base + 1000)" "$((base + 1000))" \
	"$(awk '/^Uid:/ { print $2 }' "/proc/$httpd/status")"
check_eq "db's data dir is a tmpfs of 16M, mode 0700" "tmpfs size=16384k,mode=700" \
	"$("$CENGINE" exec "$CONF" db -- awk '$2 == "/var/lib/db" {print $3, $4}' /proc/mounts | sed 's/rw,nosuid,nodev,relatime,//; s/,uid=.*//')"
check "db's nofile is 1024/2048 (from the host)" grep -Eq "^Max open files +1024 +2048 " "/proc/$(pid_of "$CONF" db)/limits"
check_eq "the router forwards by its sysctl" 1 "$("$CENGINE" exec "$CONF" router -- cat /proc/sys/net/ipv4/ip_forward)"
no_forward_key() { ! "$CENGINE" check "$CONF" | grep -q 'forward on'; }
check "the router has no forward key (check shows none)" no_forward_key
check "the client's tests ran after web and db were ready (all ok)" test "$(grep -c '^ok ' "$RES/result.txt")" = 3
"$CENGINE" down "$CONF"

# a broken web (its page missing): the check fails, and still leaves nothing
mv "$WORK/ci/fixture/www/index.html" "$WORK/index.html"
sed -i 's|"wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/index.html"|"true"|' "$CONF"
out=$(CENGINE=$CENGINE sh "$WORK/ci/fixture-check.sh" 2>&1); rc=$?
check_eq "without the page fixture-check.sh exits 1 and says FAILED" "1 fixture check: FAILED" "$rc $(tail -n 1 <<<"$out")"
check "its results name the failed check" grep -q "^FAIL web" "$RES/result.txt"
check_eq "and it left nothing" "$before" "$(snapshot "$CONF")"
finish
