#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bad.sh: every tests/data/bad/*.conf makes `up` exit 2 with its one expected line and create nothing.
. "$(dirname "$0")/../lib.sh"
require_root
command -v unshare >/dev/null || skip_all "unshare (util-linux) is needed"

DATA=$TOP_SRCDIR/tests/data/bad
setup_work

count=0
for src in "$DATA"/*.conf; do
	base=$(basename "$src" .conf)
	count=$((count + 1))
	expect=$(head -n 1 "$src" | sed -n 's/^# expect: //p')
	if [ -z "$expect" ] || [ "$expect" = "?" ]; then
		not_ok "$base: has an '# expect: LINE: setting: why' first line"
		continue
	fi
	# a private copy: its own project name (from the file name) and rootfs "." = $WORK
	conf=$WORK/b$$-$count.conf
	cp "$src" "$conf"
	before=$(snapshot "$conf")
	out=$(unshare -n bash "$DATA/run-one.sh" "$CENGINE" "$conf")
	err=$(cat "$conf.stderr")
	after=$(snapshot "$conf")
	lines=$(printf '%s\n' "$err" | wc -l)
	pattern=$(sed 's/[][\\?]/\\&/g' <<<"$expect")	# only * is a wildcard
	# shellcheck disable=SC2053 # the expectation may hold a * for host-dependent numbers
	if grep -qx "rc=2" <<<"$out" && grep -qx "links=same" <<<"$out" && [ "$before" = "$after" ] &&
		[ "$lines" = 1 ] && [[ $err == "$conf:"$pattern ]]; then
		ok "$base: exit 2, '$expect', nothing created"
	else
		not_ok "$base: exit 2, '$expect', nothing created"
		diag "$out"
		diag "stderr: $err"
		diag "$(diff <(echo "$before") <(echo "$after"))"
	fi
done
check "the corpus has at least 40 files" test "$count" -ge 40
finish
