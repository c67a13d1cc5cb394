#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# doctor_layout.sh: `cengine doctor` on whatever host runs it (this one, the busybox and the systemd QEMU
# guests): every line OK/WARN/FAIL, the cgroup and systemd lines tell the layout the host really has (a
# pure cgroup2 tree or not, systemd as pid 1 or not, and then the delegated scope), --json is one document.
. "$(dirname "$0")/../lib.sh"
require_root

out=$("$CENGINE" doctor 2>&1)
rc=$?
check "doctor exits 0 or 1 (rc $rc)" test "$rc" -le 1
check "every line is OK, WARN or FAIL, then the count" sh -c \
	'printf "%s\n" "$1" | sed "\$d" | grep -Ev "^(OK|WARN|FAIL) +[a-z]+ " | grep -q . && exit 1 || exit 0' - "$out"
check "the count line adds up" sh -c 'n=$(printf "%s\n" "$1" | sed "\$d" | wc -l)
	set -- $(printf "%s\n" "$1" | tail -n 1); [ $(($1 + $3 + $5)) = "$n" ]' - "$out"

cg=$(printf '%s\n' "$out" | grep -E '^(OK|WARN|FAIL) +cgroup ')
sd=$(printf '%s\n' "$out" | grep -E '^(OK|WARN|FAIL) +systemd ')
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
	check "a pure cgroup2 host: the cgroup line says v2 only" grep -q "cgroup v2 only" <<<"$cg"
else
	check "a v1 or hybrid host: the cgroup line says so" grep -Eq "hybrid|cgroup v1" <<<"$cg"
fi
if [ "$(cat /proc/1/comm)" != systemd ]; then
	check "pid 1 is $(cat /proc/1/comm): doctor says cengine manages its groups alone" grep -q "not systemd" <<<"$sd"
elif [ -e /sys/fs/cgroup/cgroup.controllers ] && [ -z "${CENGINE_SYSTEMD:-}${CENGINE_CGROUP:-}${CENGINE_CGROUP_ROOT:-}" ]; then
	check "systemd on pure cgroup2: doctor names the delegated scope" grep -q "cengine-<project>.scope" <<<"$sd"
else
	check "systemd without a delegated scope: doctor says why" grep -q "no delegated scope" <<<"$sd"
fi
json=$("$CENGINE" doctor --json)
check "--json is one object with the checks" sh -c 'case "$1" in "{"*"\"checks\":"*"["*"}") exit 0 ;; esac; exit 1' - "$json"
check_eq "--json has as many checks as the text" "$(printf '%s\n' "$out" | sed '$d' | wc -l)" \
	"$(grep -o '"status":' <<<"$json" | wc -l)"
finish
