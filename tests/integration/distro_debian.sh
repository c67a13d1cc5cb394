#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# distro_debian.sh: two containers from a Debian 12 minbase (debootstrap, cached): the tutorial's transcript, asserted.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
require_root

command -v debootstrap >/dev/null || unavailable "debootstrap is not installed (apt-get install debootstrap)"
ROOTFS=$(debian_rootfs) || bail "debootstrap of Debian 12 failed"
setup_project deb
debian_session "$CONF" 'memory = "64M";' "$ROOTFS" "the debootstrap tree" "the guest's"
finish
