#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/fabric.sh: a fabric for bench/run: ROWS x COLS containers on a torus of 2 x ROWS x COLS point-to-point links.
#
#   fabric.sh conf  ROWS COLS FIRST-IP LINK-NET   the `containers` and `links` settings of the fabric: one entry
#                                                 "r" with count = ROWS*COLS from FIRST-IP on the file's network;
#                                                 container i (0-based, r<i+1>, row i / COLS) links to its right
#                                                 and its lower neighbour, wrapping; link k gets LINK-NET + 4k + 1
#                                                 and + 2 (/30). 8 addresses per container: a /19 for 1,000.
#   fabric.sh pings ROWS COLS LINK-NET < PS      from `cengine ps FILE` (NAME and PID columns): one line per
#                                                 link, "PID-of-a ADDRESS-of-b", for bench/linkping
set -eu
verb=$1 rows=$2 cols=$3
# link k: a = k / 2, b its right (even k) or lower (odd k) neighbour on the torus
links_awk='function b_of(k,  r, c) { r = int(k / 2 / cols); c = int(k / 2) % cols
		return k % 2 ? ((r + 1) % rows) * cols + c : r * cols + (c + 1) % cols }
	function ip(base, off,  n) { split(base, o, "."); n = ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4] + off
		return int(n / 16777216) "." int(n / 65536) % 256 "." int(n / 256) % 256 "." n % 256 }'
case $verb in
conf)
	first=$4 net=$5
	awk -v rows="$rows" -v cols="$cols" -v first="$first" -v net="$net" "$links_awk"'
	BEGIN {
		printf "containers = ( { name = \"r\"; ip = \"%s\"; count = %d; } );\nlinks = (\n", first, rows * cols
		for (k = 0; k < 2 * rows * cols; k++)
			printf "  { a = \"r%d\"; b = \"r%d\"; a_ip = \"%s/30\"; b_ip = \"%s/30\"; }%s\n", int(k / 2) + 1,
				b_of(k) + 1, ip(net, 4 * k + 1), ip(net, 4 * k + 2), k < 2 * rows * cols - 1 ? "," : ""
		print ");"
	}' ;;
pings)
	net=$4
	awk -v rows="$rows" -v cols="$cols" -v net="$net" "$links_awk"'
	NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "NAME") nc = i; if ($i == "PID") pc = i }; next }
	nc && pc && $pc ~ /^[0-9]+$/ { pid[$nc] = $pc }
	END {
		for (k = 0; k < 2 * rows * cols; k++) {
			a = "r" (int(k / 2) + 1)
			if (!(a in pid)) { print "fabric.sh: no pid for " a > "/dev/stderr"; exit 1 }
			print pid[a], ip(net, 4 * k + 2)
		}
	}' ;;
*)
	echo "usage: fabric.sh conf ROWS COLS FIRST-IP LINK-NET | pings ROWS COLS LINK-NET < PS-OUTPUT" >&2
	exit 2 ;;
esac
