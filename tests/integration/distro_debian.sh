#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# distro_debian.sh: two containers from a Debian 12 minbase (debootstrap, cached): the tutorial's transcript, asserted.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
require_root

if ! command -v debootstrap >/dev/null; then
	[ "${CI:-}" = true ] && { echo "Bail out! CI=true but debootstrap is not installed"; exit 1; }
	skip_all "debootstrap is not installed (apt-get install debootstrap)"
fi
ROOTFS=$(debian_rootfs) || { echo "Bail out! debootstrap of Debian 12 failed"; exit 1; }
PROJECT=t-deb-$$
BRIDGE=ctd$$
NET=$(pick_subnet) || { echo "Bail out! no free subnet"; exit 1; }
WORK=$(mktemp -d)
CONF=$WORK/debian.conf
cleanup() { "$CENGINE" down "$CONF" --timeout 1 >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

cat >"$CONF" <<CONF
name = "$PROJECT";
networks = ( { name = "lan"; subnet = "$NET.0/24"; gateway = "$NET.1"; bridge = "$BRIDGE"; } );
defaults = { rootfs = "$ROOTFS"; memory = "64M"; };
containers = ( { name = "debian1"; ip = "$NET.2"; }, { name = "debian2"; ip = "$NET.3"; } );
CONF

mine() { host_snapshot "$PROJECT" | grep -F -e "$PROJECT" -e "$BRIDGE"; }
before=$(mine)
check "up from the debootstrap tree returns 0" "$CENGINE" up "$CONF"
transcript "$CONF" debian1 "$NET.2" "$NET.1" "$NET.3" debian "$ROOTFS"
transcript "$CONF" debian2 "$NET.3" "$NET.1" "$NET.2" debian "$ROOTFS"
check_eq "bash is the guest's bash" "5.2" "$("$CENGINE" exec "$CONF" debian1 -- bash -c 'echo ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}')"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(mine)"
finish
