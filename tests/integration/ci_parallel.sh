#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci_parallel.sh: examples/ci/web.conf (no address in it) as 8 projects at once (-p), each the one-line
# CI step `cengine test --up --down --junit`: all pass, each picked its own subnets (subnet = "auto"
# under the host-wide lock), and nothing of any of them is left.
. "$(dirname "$0")/../lib.sh"
require_root
command -v busybox >/dev/null || unavailable "busybox (web.conf serves with busybox httpd)"

setup_work
EX=$TOP_SRCDIR/examples/ci/web.conf
JOBS=8
projects=()
for k in $(seq 1 $JOBS); do
	projects+=("t-cipar-$$-$k")
	at_exit "'$CENGINE' down 't-cipar-$$-$k' --timeout 1 >/dev/null 2>&1"
done

pids=()
for k in $(seq 1 $JOBS); do
	"$CENGINE" test --up --down --junit "$WORK/out-$k.xml" -p "t-cipar-$$-$k" "$EX" >"$WORK/tap-$k" 2>&1 &
	pids+=($!)
done
failed=0
for k in $(seq 1 $JOBS); do
	wait "${pids[k - 1]}" || { failed=$((failed + 1)); diag "job $k: $(cat "$WORK/tap-$k")"; }
done
check_eq "$JOBS parallel test --up --down runs of one file all pass" 0 "$failed"
check_eq "each wrote a JUnit file without failures" "$JOBS" \
	"$(grep -l 'tests="8" failures="0"' "$WORK"/out-*.xml | wc -l)"
# the front subnet each picked: the address client reached web at (check 1)
subnets=$(for k in $(seq 1 $JOBS); do sed -n 's/^ok 1 - client tcp web:8080 (\([0-9.]*\)\.[0-9]*)$/\1/p' "$WORK/tap-$k"; done)
check_eq "$JOBS different front subnets" "$JOBS" "$(sort -u <<<"$subnets" | grep -c .)"
diag "front subnets: $(paste -sd' ' <<<"$subnets")"
left=$(ip -d -o link show | grep -c "cengine:t-cipar-$$-")
check_eq "no link of theirs is left" 0 "$left"
check "no state of theirs is left" sh -c "! ls /run/cengine 2>/dev/null | grep -q '^t-cipar-$$-'"
check "no cgroup of theirs is left" sh -c "! find /sys/fs/cgroup -maxdepth 4 -type d -path '*/cengine/t-cipar-$$-*' 2>/dev/null | grep -q ."
finish
