#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# distro_alpine.sh: two containers from the Alpine 3.22 minirootfs tarball (musl, busybox, apk): the tutorial's transcript, asserted.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
require_root

alpine_tarball
PROJECT=t-alp-$$
BRIDGE=cta$$
NET=$(pick_subnet) || { echo "Bail out! no free subnet"; exit 1; }
WORK=$(mktemp -d)
CONF=$WORK/alpine.conf
cleanup() { "$CENGINE" down "$CONF" --timeout 1 >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

cat >"$CONF" <<CONF
name = "$PROJECT";
networks = ( { name = "lan"; subnet = "$NET.0/24"; gateway = "$NET.1"; bridge = "$BRIDGE"; } );
defaults = { rootfs = "$TARBALL"; memory = "64M"; };
containers = ( { name = "alpine1"; ip = "$NET.2"; }, { name = "alpine2"; ip = "$NET.3"; } );
CONF

mine() { host_snapshot "$PROJECT" | grep -F -e "$PROJECT" -e "$BRIDGE"; }
before=$(mine)
check "up from the tarball returns 0" "$CENGINE" up "$CONF"
TREE=/var/lib/cengine/rootfs/$(sha256sum "$TARBALL" | cut -d' ' -f1)
check "the tarball is unpacked in the cache under its sha256" test -d "$TREE/etc"
transcript "$CONF" alpine1 "$NET.2" "$NET.1" "$NET.3" alpine "$TREE"
transcript "$CONF" alpine2 "$NET.3" "$NET.1" "$NET.2" alpine "$TREE"
check "musl's loader is the guest's" "$CENGINE" exec "$CONF" alpine1 -- test -e /lib/ld-musl-x86_64.so.1
check "apk runs" "$CENGINE" exec "$CONF" alpine1 -- apk --version
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(mine)"
finish
