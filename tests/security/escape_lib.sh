# SPDX-License-Identifier: MIT
# escape_lib.sh: what the escape suite's scripts share on top of lib.sh: root, their static probe, the table of expected results.
# shellcheck shell=bash
. "$(dirname "$0")/../lib.sh"
require_root

# use_probe VAR NAME: PROBE, the static probe NAME that make check builds beside cengine (or $VAR).
use_probe() {
	PROBE=${!1:-$(dirname "$CENGINE")/tests/security/$2}
	[ -x "$PROBE" ] || bail "no $2 at $PROBE (make check builds it)"
}

# need CMD WHY: CMD is on the PATH, or the test is unavailable here (WHY says what it is needed for).
need() { command -v "$1" >/dev/null || unavailable "$2"; }

# expect_eq MODE ATTEMPT WANT GOT: the default check of expect_table.
expect_eq() { check_eq "$1: $2 fails with $3" "$3" "$4"; }

# expect_table WIDTH GET [CHECK]: for each line "ATTEMPT WANT_U WANT_R WHAT" of $EXPECT, a diag row (the
# attempt WIDTH wide) of what `GET ATTEMPT u` and `GET ATTEMPT r` print (the attempt's result with the user
# namespace and without), then `CHECK MODE ATTEMPT WANT GOT WHAT` for MODE userns and nouserns (expect_eq).
expect_table() {
	local width=$1 get=$2 cmp=${3:-expect_eq} name want_u want_r what got_u got_r

	diag "$(printf "%-${width}s %-12s %-12s %s" attempt userns no-userns what)"
	while read -r name want_u want_r what; do
		[ -n "$name" ] || continue
		got_u=$("$get" "$name" u)
		got_r=$("$get" "$name" r)
		diag "$(printf "%-${width}s %-12s %-12s %s" "$name" "${got_u:-?}" "${got_r:-?}" "$what")"
		"$cmp" userns "$name" "$want_u" "$got_u" "$what"
		"$cmp" nouserns "$name" "$want_r" "$got_r" "$what"
	done <<<"$EXPECT"
}
