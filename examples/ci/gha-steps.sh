#!/bin/sh
# examples/ci/gha-steps.sh: the steps of examples/ci/github-actions.yml, one a call, so that they run
# the same on a GitHub hosted Ubuntu runner (where Docker runs, its FORWARD policy DROP) and in
# cengine's own tests (tests/integration/gha.sh runs this file as it is, in a Docker-like netns).
#   examples/ci/gha-steps.sh deps|build|rootfs|doctor|up|check|down
# Settings (environment): CENGINE, the binary (default: the one `build` makes, _build/cengine);
# CONF, the project file (default examples/pair.conf); ROOTFS, where `rootfs` makes the demo tree
# (default /srv/rootfs/demo, the one examples/pair.conf names).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cengine=${CENGINE:-$top/_build/cengine}
conf=${CONF:-$top/examples/pair.conf}

# one container's address on the file's first network, as `cengine check` plans it
addr_of() {
	"$cengine" check "$conf" | awk -v c="$1:" '$1 == "container" { f = ($2 == c); next }
		f && $1 == "eth0" { sub(/\/.*/, "", $2); print $2; exit }'
}

case ${1:-} in
deps)	# what the build and the pair need (Ubuntu 22.04 and 24.04 have them all)
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends build-essential autoconf \
		automake libtool pkg-config libconfig-dev libnl-3-dev libnl-route-3-dev libarchive-dev \
		libseccomp-dev libnftables-dev libnftnl-dev libmnl-dev libsystemd-dev libjansson-dev libssl-dev libcurl4-openssl-dev nftables \
		busybox-static iproute2 iputils-ping
	;;
build)
	cd "$top" && ./autogen.sh && mkdir -p _build && cd _build && ../configure && make -j"$(nproc)"
	;;
rootfs)
	sh "$top/examples/make-demo-rootfs.sh" "${ROOTFS:-/srv/rootfs/demo}"
	;;
doctor)	# what the host lacks for this file, before anything is made (exit 1: a FAIL line says what)
	"$cengine" doctor "$conf"
	;;
up)	# on a Docker host cengine adds allow rules for its bridges to DOCKER-USER (its line says so)
	"$cengine" up "$conf"
	"$cengine" ps "$conf"
	;;
check)	# the containers reach each other and their gateway
	# shellcheck disable=SC2046 # the container names, one word each
	set -- $("$cengine" check "$conf" | sed -n 's/^container \([^:]*\):.*/\1/p')
	a=$1 b=$2
	gw=$("$cengine" check "$conf" | sed -n 's/^network [^:]*: .*gateway \([0-9.]*\).*/\1/p' | head -n 1)
	"$cengine" exec "$conf" "$a" -- ping -c 2 -W 2 "$(addr_of "$b")"
	"$cengine" exec "$conf" "$b" -- ping -c 2 -W 2 "$(addr_of "$a")"
	"$cengine" exec "$conf" "$a" -- ping -c 2 -W 2 "$gw"
	echo "check: $a and $b reach each other and the gateway $gw"
	;;
down)	# always (if: always()): the project and cengine's firewall rules go, whatever failed before
	"$cengine" down "$conf" --timeout 2
	project=$("$cengine" check "$conf" | sed -n '1s/^project \([^ ]*\) .*/\1/p')
	if command -v nft >/dev/null && nft list ruleset | grep -q "cengine:$project:"; then
		echo "down left rules of $project in the host's firewall" >&2
		exit 1
	fi
	;;
*)
	echo "usage: $0 deps|build|rootfs|doctor|up|check|down" >&2
	exit 2
	;;
esac
