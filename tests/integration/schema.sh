#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# schema.sh: docs/cengine.schema.json and the parser's key tables list the same keys (a key in one and
# not the other fails), and every example, as `cengine check --json` prints it, is valid for ajv (JSON
# Schema draft 2020-12, strict), while unknown keys and bad values are not. Needs no root.
. "$(dirname "$0")/../lib.sh"
[ -x "$CENGINE" ] || bail "no cengine binary at $CENGINE"
command -v python3 >/dev/null || unavailable "python3 (to read the schema)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SCHEMA=$TOP_SRCDIR/docs/cengine.schema.json

# the keys of each group: the tables' (check --keys) and the schema's
"$CENGINE" check --keys >"$WORK/keys"
python3 - "$SCHEMA" "$WORK/keys" >"$WORK/diff" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
d = s["$defs"]
schema = {"root": set(s["properties"]), "network": set(d["network"]["properties"]),
          "interface": set(d["interface"]["properties"]) | set(d["impair_keys"]["properties"]),
          "container": set(d["container_settings"]["properties"]), "link": set(d["link"]["properties"]),
          "check": set(d["check"]["properties"])}
tables, only = {}, set()
for line in open(sys.argv[2]):
    w = line.split()
    tables.setdefault(w[0], set()).add(w[1])
    if w[0] == "container" and "container-only" in w:
        only.add(w[1])
for g in sorted(set(schema) | set(tables)):
    for k in sorted(tables.get(g, set()) - schema.get(g, set())):
        print(f"in the key tables, not in the schema: {g} {k}")
    for k in sorted(schema.get(g, set()) - tables.get(g, set())):
        print(f"in the schema, not in the key tables: {g} {k}")
refused = {k for k, v in d["defaults"]["properties"].items() if v is False}
if refused != only:
    print(f"defaults refuses {sorted(refused)}, the tables {sorted(only)}")
PY
check_eq "the schema and the key tables have the same keys" "" "$(cat "$WORK/diff")"
[ ! -s "$WORK/diff" ] || diag "a key's place in docs/cengine.schema.json: root: properties; container: \$defs/container_settings/properties (a container-only key also false in \$defs/defaults/properties); network, interface, link, check: \$defs/<group>/properties"
check "check --keys lists the groups root, network, interface, container, link, check" sh -c \
	"[ \"\$(cut -d' ' -f1 '$WORK/keys' | uniq | paste -sd' ')\" = 'root network interface container link check' ]"

# ajv: CENGINE_NODE_MODULES, or where .ci/run installs it
NODE_MODULES=${CENGINE_NODE_MODULES:-$TEST_CACHE/node/node_modules}
if ! command -v node >/dev/null || ! NODE_PATH=$NODE_MODULES node -e 'require("ajv/dist/2020")' 2>/dev/null; then
	unavailable "node and ajv in $NODE_MODULES (npm install --prefix $TEST_CACHE/node ajv)"
fi
validate() { NODE_PATH=$NODE_MODULES node "$TOP_SRCDIR/tests/schema-validate.js" "$SCHEMA" "$@"; }

# every example as written, on the host's root tree (their demo rootfs is not made here)
jsons=()
cp -r "$TOP_SRCDIR/examples" "$WORK/examples"	# with the files and directories they name beside them
for f in "$WORK"/examples/*.conf "$WORK"/examples/ci/*.conf; do
	b=$(basename "$f" .conf)
	sed -i 's|/srv/rootfs/[a-z]*|/|' "$f"
	if "$CENGINE" check --json "$f" >"$WORK/$b.json"; then
		jsons+=("$WORK/$b.json")
	else
		not_ok "check --json $b.conf"
	fi
done
# a file of links only (no networks), with named ends and MACs
cat >"$WORK/ring.conf" <<'CONF'
containers = ( { name = "r1"; forward = true; }, { name = "r2"; forward = true; depends_on = [ "r1" ]; } );
links = ( { a = "r1"; b = "r2"; a_ip = "10.9.0.1/30"; b_ip = "10.9.0.2/30"; a_ifname = "to-r2"; b_mac = "02-00-00-00-00-02"; } );
CONF
"$CENGINE" check --json "$WORK/ring.conf" >"$WORK/ring.json" && jsons+=("$WORK/ring.json")
out=$(validate "${jsons[@]}")
check_eq "ajv finds every example and a file of links only valid (${#jsons[@]})" "${#jsons[@]}" "$(grep -c '^valid ' <<<"$out")"
diag "$out"
check_eq "check --json names the project (pair)" '"pair"' \
	"$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["name"]))' <"$WORK/pair.json")"
check_eq "check --json -p NAME names NAME" '"other"' \
	"$("$CENGINE" check --json -p other "$WORK/examples/pair.conf" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["name"]))')"

# what the parser refuses, the schema refuses too
bad() {	# bad NAME PYTHON: pair.json changed by PYTHON (on d) must be invalid
	python3 -c "import json,sys; d = json.load(open(sys.argv[1])); $2; json.dump(d, open(sys.argv[2], 'w'))" \
		"$WORK/pair.json" "$WORK/bad-$1.json"
	check "the schema refuses $1" sh -c "! NODE_PATH='$NODE_MODULES' node '$TOP_SRCDIR/tests/schema-validate.js' '$SCHEMA' '$WORK/bad-$1.json' >/dev/null"
}
bad "an unknown container key" 'd["containers"][0]["bogus"] = 1'
bad "depends_on in defaults" 'd["defaults"]["depends_on"] = ["centos1"]'
bad "an unknown ulimit" 'd["containers"][0]["ulimits"] = ["files=10"]'
bad "a file of neither networks nor links" 'del d["networks"]'
bad "an unknown top-level key" 'd["bogus"] = 1'
bad "a subnet without prefix" 'd["networks"][0]["subnet"] = "10.0.0.0"'
bad "name in defaults" 'd["defaults"]["name"] = "x"'
bad "a check with two probes" 'd["tests"] = [{"from": "centos1", "ping": "centos2", "tcp": "centos2:80"}]'
bad "restart = sometimes" 'd["containers"][0]["restart"] = "sometimes"'
finish
