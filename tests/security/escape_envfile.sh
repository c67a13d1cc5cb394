#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_envfile.sh: a hostile file's env_file: a host secret's line is never printed by check, /proc/self/environ
# (the CI job's own environment) is refused, and a FIFO does not make check wait.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project escenv
ROOTFS=$(busybox_rootfs)
printf 'root:$6$secret-hash-%s:19000:0:99999:7:::\n' "$$" >"$WORK/shadow"
mkfifo "$WORK/fifo"
# try ENV_FILE: check's stderr for a file whose one container reads ENV_FILE
try() {
	write_conf "$CONF" <<CONF
  { name = "a"; ip = "$NET.2"; env_file = [ "$1" ]; }
CONF
	# shellcheck disable=SC2069 # stderr only, to the caller
	CI_SECRET=ci-secret-$$ timeout 10 "$CENGINE" check "$CONF" 2>&1 >/dev/null
}
out=$(try "$WORK/shadow")
check "a host secret's line: refused" grep -q "^$WORK/shadow:1: containers.\[0\].env_file.\[0\]: not KEY=VALUE" <<<"$out"
lacks() { ! grep -q "$1" <<<"$2"; }
check "its text is not printed" lacks secret-hash "$out"
out=$(try /proc/self/environ)
check "the caller's environment (/proc/self/environ): refused" grep -q "a NUL byte" <<<"$out"
check "no variable of it printed" lacks ci-secret "$out"
start=$(now_ms)
out=$(try "$WORK/fifo")
check_eq "a FIFO: refused at once, not waited on" "0 $CONF:5: containers.[0].env_file.[0]: $WORK/fifo: not a regular file" \
	"$(( $(now_ms) - start > 5000 )) $out"
check "/dev/zero: refused" grep -q "not a regular file" <<<"$(try /dev/zero)"
finish
