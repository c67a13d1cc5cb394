#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# distro_alpine.sh: two containers from the Alpine 3.22 minirootfs tarball (musl, busybox, apk): the tutorial's transcript, asserted.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
require_root

alpine_tarball
setup_project alp
ROOTFS=$TARBALL write_conf "$CONF" 'memory = "64M";' <<CONF
  { name = "alpine1"; ip = "$NET.2"; }, { name = "alpine2"; ip = "$NET.3"; }
CONF

before=$(snapshot "$CONF")
check "up from the tarball returns 0" "$CENGINE" up "$CONF"
TREE=/var/lib/cengine/rootfs/$(sha256sum "$TARBALL" | cut -d' ' -f1)
check "the tarball is unpacked in the cache under its sha256" test -d "$TREE/etc"
transcript "$CONF" alpine1 "$NET.2" "$NET.1" "$NET.3" alpine "$TREE"
transcript "$CONF" alpine2 "$NET.3" "$NET.1" "$NET.2" alpine "$TREE"
check "musl's loader is the guest's" "$CENGINE" exec "$CONF" alpine1 -- test -e /lib/ld-musl-x86_64.so.1
check "apk runs" "$CENGINE" exec "$CONF" alpine1 -- apk --version
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
finish
