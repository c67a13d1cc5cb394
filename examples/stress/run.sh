#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: the tutorial's stress test as numbers: up examples/limits.conf, burn CPU and allocate 100 MB, print measured vs configured, down.
# usage: run.sh [CENGINE]   (as root; builds /srv/rootfs/stress from /srv/rootfs/demo when missing;
# LIMITS_CONF=FILE uses another file with containers burner and hog)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cengine=${1:-cengine}
conf=${LIMITS_CONF:-$here/../limits.conf}
project=$(awk -F'"' '$1 ~ /^name *= *$/ { print $2; exit }' "$conf")
if [ -z "${LIMITS_CONF:-}" ] && [ ! -x /srv/rootfs/stress/stress/hog ]; then
	[ -d /srv/rootfs/demo ] || "$here/../make-demo-rootfs.sh" /srv/rootfs/demo
	"$here/make-rootfs.sh" /srv/rootfs/demo /srv/rootfs/stress
fi
"$cengine" up "$conf"
trap '"$cengine" down "$conf"' EXIT
echo "== burner: 2 busy loops with cpu = 0.5, cpuset = \"0\""
"$here/measure.sh" "$project" burner 5 | tail -n 1
echo "== hog: allocating 100 MB with memory = 50M"
"$cengine" exec "$conf" hog -- /stress/hog 100 0 || echo "hog exited with status $? (137 = SIGKILL by the OOM killer)"
"$here/measure.sh" "$project" hog 1 | tail -n 1
"$cengine" ps "$conf"
