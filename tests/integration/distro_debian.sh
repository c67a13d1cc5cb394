#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# distro_debian.sh: two containers from a Debian 12 minbase (debootstrap, cached): the tutorial's transcript, asserted.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
require_root

command -v debootstrap >/dev/null || unavailable "debootstrap is not installed (apt-get install debootstrap)"
ROOTFS=$(debian_rootfs) || bail "debootstrap of Debian 12 failed"
setup_project deb
write_conf "$CONF" 'memory = "64M";' <<CONF
  { name = "debian1"; ip = "$NET.2"; }, { name = "debian2"; ip = "$NET.3"; }
CONF

before=$(snapshot "$CONF")
check "up from the debootstrap tree returns 0" "$CENGINE" up "$CONF"
transcript "$CONF" debian1 "$NET.2" "$NET.1" "$NET.3" debian "$ROOTFS"
transcript "$CONF" debian2 "$NET.3" "$NET.1" "$NET.2" debian "$ROOTFS"
check_eq "bash is the guest's bash" "5.2" "$("$CENGINE" exec "$CONF" debian1 -- bash -c 'echo ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}')"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
finish
