#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# arch.sh: in the arm64 guest (tests/vm/arm64): what differs per architecture works there: clone3 (up), the seccomp filter
# on the native architecture (denied calls fail with EPERM, the rest run), the container's view of its machine.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project arch
ROOTFS=$(busybox_rootfs)
write_conf "$CONF" "" <<CONF
  { name = "a"; ip = "$NET.2"; }
CONF
before=$(snapshot "$CONF")
check "up returns 0 (clone3 into the group, on $(uname -m))" "$CENGINE" up "$CONF"
pid=$(pid_of "$CONF" a)
check_eq "the container runs on the host's architecture" "$(uname -m)" "$(x a -- uname -m)"
check_eq "its init runs under a seccomp filter (mode 2)" 2 "$(awk '$1 == "Seccomp:" { print $2 }' "/proc/$pid/status")"
check_eq "the filter lets ordinary calls through (fork, exec, read)" hello "$(x a -- sh -c 'echo hello | cat')"
check "unshare -n fails with EPERM (the filter or the missing capability; the caller lives on)" sh -c "'$CENGINE' exec '$CONF' a -- unshare -n true 2>&1 | grep -q 'Operation not permitted'"
check "mount is denied" sh -c "! '$CENGINE' exec '$CONF' a -- mount -t tmpfs t /mnt 2>/dev/null"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
finish
