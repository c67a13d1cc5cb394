#!/bin/sh
# SPDX-License-Identifier: MIT
# burn.sh: the tutorial's CPU burner in POSIX sh: N busy loops (default 2), for SECONDS or until killed.
# usage: burn.sh [N [SECONDS]]
n=${1:-2} secs=${2:-}
pids=
i=0
while [ "$i" -lt "$n" ]; do
	(while :; do :; done) &
	pids="$pids $!"
	i=$((i + 1))
done
echo "burning $n CPUs${secs:+ for $secs s}"
if [ -n "$secs" ]; then
	sleep "$secs"
	kill $pids
fi
wait
