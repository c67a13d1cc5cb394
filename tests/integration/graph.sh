#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# graph.sh: `cengine graph`: the wan example and examples/ci/web.conf as DOT, Mermaid and JSON, compared
# with the text in tests/data/graph/ (deterministic output), read by Graphviz, and bad arguments.
# Needs no root: graph makes nothing.
. "$(dirname "$0")/../lib.sh"
[ -x "$CENGINE" ] || bail "no cengine binary at $CENGINE"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DATA=$TOP_SRCDIR/tests/data/graph
# the example as written, on the host's root tree (its demo rootfs is not made here)
sed 's|/srv/rootfs/demo|/|' "$TOP_SRCDIR/examples/wan.conf" >"$WORK/wan.conf"

check_eq "dot is the one in tests/data/graph" "$(cat "$DATA/wan.dot")" "$("$CENGINE" graph "$WORK/wan.conf")"
check_eq "mermaid is the one in tests/data/graph" "$(cat "$DATA/wan.mmd")" "$("$CENGINE" graph --format mermaid "$WORK/wan.conf")"
check_eq "json is the one in tests/data/graph" "$(cat "$DATA/wan.json")" "$("$CENGINE" graph -f json "$WORK/wan.conf")"
check_eq "auto subnets show as auto/24, auto+N" "$(cat "$DATA/web.mmd")" "$("$CENGINE" graph -f mermaid "$TOP_SRCDIR/examples/ci/web.conf")"
check "the same file gives the same text" sh -c \
	"[ \"\$('$CENGINE' graph '$WORK/wan.conf')\" = \"\$('$CENGINE' graph '$WORK/wan.conf')\" ]"
check "the link's impairments are on its edge" grep -q 'eth1 10.10.255.1/30 delay 50ms loss 2%' "$DATA/wan.dot"
if command -v python3 >/dev/null; then
	check "json is valid JSON with 6 nodes and 5 edges" python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d["nodes"]) == 6 and len(d["edges"]) == 5, d' < <("$CENGINE" graph -f json "$WORK/wan.conf")
	# a command with bytes that are not UTF-8 (raw 0xff 0xfe, an overlong 0xc0 0xaf) and controls (SOH, BEL,
	# ESC, DEL): check --json and graph -f json still print valid, ASCII-only JSON holding the same text
	printf '%s\n' 'name = "badtext";' 'networks = ({ name = "lan"; subnet = "10.99.1.0/24"; });' \
		'defaults = { rootfs = "/"; };' 'containers = ({ name = "a"; interfaces = ({ network = "lan"; ip = "10.99.1.2"; });' \
		'  command = ["/bin/echo", "\x01bell\xff\xfe \xc0\xaf raw\x07 \x1b[31m\x7f"]; });' >"$WORK/badtext.conf"
	for cmd in "check --json" "graph -f json"; do
		# shellcheck disable=SC2086 # the verb and its option
		"$CENGINE" $cmd "$WORK/badtext.conf" >"$WORK/badtext.json"
		check "$cmd of a command with invalid UTF-8 and controls: valid JSON (json.tool)" \
			python3 -m json.tool "$WORK/badtext.json"
		check "$cmd of it: ASCII only, one line" sh -c '[ "$(wc -l <"$1")" = 1 ] && ! LC_ALL=C grep -q "[^ -~]" "$1"' - "$WORK/badtext.json"
	done
	check_eq "check --json keeps the text: bytes not UTF-8 as U+FFFD, controls as they were" \
		"['/bin/echo', '\\x01bell\\ufffd\\ufffd \\ufffd\\ufffd raw\\x07 \\x1b[31m\\x7f']" \
		"$("$CENGINE" check --json "$WORK/badtext.conf" | python3 -c 'import json, sys; print(ascii(json.load(sys.stdin)["containers"][0]["command"]))')"
fi
if command -v dot >/dev/null; then
	check "Graphviz reads the dot output" sh -c "'$CENGINE' graph '$WORK/wan.conf' | dot -Tsvg | grep -q '<svg'"
elif [ "${CI:-}" = true ]; then
	not_ok "CI=true but Graphviz's dot is missing"
fi
out=$("$CENGINE" graph --format png "$WORK/wan.conf" 2>&1)
check_eq "an unknown format: exit 2, one line" "2 cengine: graph: --format: 'png' is not dot, mermaid or json" "$? $out"
finish
