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
fi
if command -v dot >/dev/null; then
	check "Graphviz reads the dot output" sh -c "'$CENGINE' graph '$WORK/wan.conf' | dot -Tsvg | grep -q '<svg'"
elif [ "${CI:-}" = true ]; then
	not_ok "CI=true but Graphviz's dot is missing"
fi
out=$("$CENGINE" graph --format png "$WORK/wan.conf" 2>&1)
check_eq "an unknown format: exit 2, one line" "2 cengine: graph: --format: 'png' is not dot, mermaid or json" "$? $out"
finish
