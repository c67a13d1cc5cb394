# SPDX-License-Identifier: MIT
# distro.sh: fixtures for the foreign-distribution tests (Alpine tarball, cached Debian minbase) and the tutorial transcript.
# shellcheck shell=bash

# alpine_tarball: set TARBALL to the Alpine minirootfs fixture; skips (or, when CI=true, fails) without ../shared.
alpine_tarball() {
	TARBALL=$TOP_SRCDIR/../shared/fixtures/alpine-minirootfs-3.22.2-x86_64.tar.gz
	[ -f "$TARBALL" ] ||
		unavailable "no Alpine fixture at $TARBALL (../shared/fixtures exists only in the project's sessions and CI)"
}

# apt_mirror: the Debian mirror the host's apt uses (sources.list or sources.list.d/*.list|*.sources).
apt_mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && awk '$1=="deb" && $0 ~ /bookworm/ {for (i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' "$f"
	done
}

# debian_rootfs: a Debian 12 minbase with bash, procps, iproute2 and iputils-ping, made once
# with debootstrap into $TEST_CACHE (built aside, then renamed into place).
debian_rootfs() {
	local dir=$TEST_CACHE/debian12-minbase mirror tmp
	if [ ! -x "$dir/usr/bin/ping" ]; then
		command -v debootstrap >/dev/null || { echo "debootstrap is not installed" >&2; return 1; }
		mirror=$(apt_mirror | head -n 1)
		[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
		mkdir -p "$TEST_CACHE"
		tmp=$(mktemp -d "$TEST_CACHE/.debian12.XXXXXX")
		if ! debootstrap --variant=minbase --include=bash,procps,iproute2,iputils-ping bookworm "$tmp" "$mirror" \
			>"$tmp.log" 2>&1; then
			tail -n 5 "$tmp.log" >&2
			rm -rf "$tmp" "$tmp.log"
			return 1
		fi
		rm -rf "$tmp/var/cache/apt/archives/"*.deb "$tmp.log"
		mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"	# a concurrent builder won
	fi
	echo "$dir"
}

# transcript CONF NAME ADDR GATEWAY PEER OS_ID TREE: the tutorial's session inside one container, asserted
# (TREE: the host path of the guest's root tree, for `ls /`).
transcript() {
	local conf=$1 name=$2 addr=$3 gw=$4 peer=$5 os_id=$6 tree=$7 out
	in_c() { "$CENGINE" exec "$conf" "$name" -- "$@"; }
	out=$(in_c ps -e 2>&1 | tail -n +2 | awk '{print ($1 == 1 ? "1" : "other") ":" $4}' | paste -sd' ')
	check_eq "$name: ps -e lists exactly its pid 1 (init) and ps" "1:init other:ps" "$out"
	check_eq "$name: whoami prints root" root "$(in_c whoami 2>&1)"
	check_eq "$name: ls / shows the guest's tree" "$(ls "$tree" | paste -sd' ')" "$(in_c ls / | paste -sd' ')"
	check_eq "$name: /etc/os-release is the guest's" "ID=$os_id" "$(in_c cat /etc/os-release | grep '^ID=' | tr -d '"')"
	check_eq "$name: ip a shows lo and eth0" "lo eth0" "$(in_c ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | paste -sd' ')"
	check "$name: eth0 has $addr" sh -c "'$CENGINE' exec '$conf' '$name' -- ip -o -4 addr show eth0 | grep -q 'inet $addr/'"
	check "$name: pings the gateway $gw" in_c ping -c 1 -W 2 "$gw"
	check "$name: pings the peer $peer" in_c ping -c 1 -W 2 "$peer"
}

# The tutorial's session in two Debian containers debian1 and debian2 ($NET.2, $NET.3) of CONF,
# written with SETTINGS (image or rootfs, limits) and run from TREE: up (named "from WHAT"), each
# one's transcript, bash is OWNER's bash, down leaves the host as it was before up.
debian_session() {
	local conf=$1 settings=$2 tree=$3 what=$4 owner=$5 before
	write_conf "$conf" "$settings" <<CONF
  { name = "debian1"; ip = "$NET.2"; }, { name = "debian2"; ip = "$NET.3"; }
CONF
	before=$(snapshot "$conf")
	check "up from $what returns 0" "$CENGINE" up "$conf"
	transcript "$conf" debian1 "$NET.2" "$NET.1" "$NET.3" debian "$tree"
	transcript "$conf" debian2 "$NET.3" "$NET.1" "$NET.2" debian "$tree"
	check_eq "bash is $owner bash" "5.2" "$("$CENGINE" exec "$conf" debian1 -- bash -c 'echo ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}')"
	check "down returns 0" "$CENGINE" down "$conf"
	check_eq "down leaves the host as before up" "$before" "$(snapshot "$conf")"
}
