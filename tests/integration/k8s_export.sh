#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# k8s_export.sh: `cengine export kubernetes`: each examples/k8s/*.conf gives its golden manifests and warnings
# (tests/data/k8s/golden; UPDATE_GOLDEN=1 rewrites them), every manifest passes the schemas (tests/k8s/validate.js),
# what a cluster cannot run is refused in one line with exit 2 and nothing written, hostile strings stay strings.
. "$(dirname "$0")/../lib.sh"
setup_work
GOLDEN=$TOP_SRCDIR/tests/data/k8s/golden
cd "$TOP_SRCDIR" || bail "no $TOP_SRCDIR"
node_ok=true
command -v node >/dev/null && [ -d tests/k8s/node_modules/js-yaml ] || node_ok=false
[ "$node_ok" = true ] || [ "${CI:-}" != true ] || bail "CI=true but no node or tests/k8s/node_modules (npm ci --prefix tests/k8s)"

for conf in examples/k8s/*.conf; do
	ex=$(basename "$conf" .conf)
	"$CENGINE" export kubernetes "$conf" >"$WORK/$ex.raw" 2>"$WORK/$ex.err"
	check_eq "examples/k8s/$ex.conf exports (exit 0)" 0 "$?"
	# a bind's hostPath is the absolute path of the checkout
	sed "s|$(pwd -P)/|@TOP_SRCDIR@/|g" "$WORK/$ex.raw" >"$WORK/$ex.yaml"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$WORK/$ex.yaml" "$WORK/$ex.err" "$GOLDEN/"; fi
	check "examples/k8s/$ex.conf: the golden manifests" diff -u "$GOLDEN/$ex.yaml" "$WORK/$ex.yaml"
	check "examples/k8s/$ex.conf: the golden warnings" diff -u "$GOLDEN/$ex.err" "$WORK/$ex.err"
	"$CENGINE" export kubernetes "$conf" >"$WORK/again.raw" 2>/dev/null
	check "examples/k8s/$ex.conf: a second export is the same bytes" cmp "$WORK/$ex.raw" "$WORK/again.raw"
done
if [ "$node_ok" = true ]; then
	check "every exported manifest is valid (kubernetes-models, Multus and meshnet CRDs)" \
		node tests/k8s/validate.js tests/data/k8s "$WORK"/*.yaml
	sed 's/local_intf/local_if/' "$WORK/wan.yaml" >"$WORK/broken.yml"
	# shellcheck disable=SC2016 # $1 is the inner shell's
	check "the validator refuses a Topology with a misspelt field" \
		sh -c '! node tests/k8s/validate.js tests/data/k8s "$1"' _ "$WORK/broken.yml"
else
	skip "the manifests against the schemas" "no node or tests/k8s/node_modules (npm ci --prefix tests/k8s)"
fi

# refused: "FILE:LINE: setting: why", exit 2, nothing on stdout, no -o directory
for conf in tests/data/k8s/bad/*.conf; do
	want="$conf:$(sed -n '1s/^# expect: //p' "$conf")"
	out=$("$CENGINE" export kubernetes "$conf" -o "$WORK/out" 2>&1)
	rc=$?
	check_eq "$(basename "$conf"): refused in one line, exit 2" "2 $want" "$rc $out"
	check "$(basename "$conf"): nothing written" test ! -e "$WORK/out"
done
check_eq "a target other than kubernetes is bad usage" 2 "$("$CENGINE" export compose examples/k8s/pair.conf >/dev/null 2>&1; echo $?)"

# a hostile env value (escapes, a quote, a newline and a fake second document) stays one string
cat >"$WORK/hostile.conf" <<'CONF'
name = "hostile";
networks = ( { name = "lan"; subnet = "10.77.1.0/24"; } );
containers = ( { name = "a"; image = "busybox"; ip = "10.77.1.2";
  env = [ "X=\x1b[31m\"red\"\n---\nkind: Secret\n\\" ];
  files = ( { path = "/bin.dat"; content = "\xff\xfeA"; } ); } );
CONF
"$CENGINE" export kubernetes "$WORK/hostile.conf" >"$WORK/hostile.out" 2>"$WORK/hostile.err"
check_eq "the hostile file exports" 4 "$(grep -c '^---$' "$WORK/hostile.out")"
[ "$node_ok" = false ] || check "its manifests are valid" node tests/k8s/validate.js tests/data/k8s "$WORK/hostile.out"
if [ "$node_ok" = true ]; then
	got=$(NODE_PATH=tests/k8s/node_modules node -e 'const y=require("js-yaml"); const d=y.loadAll(require("fs").readFileSync(process.argv[1],"utf8")).filter((x)=>x); const p=d.find((x)=>x.kind==="Pod"); const m=d.find((x)=>x.kind==="ConfigMap"); process.stdout.write(JSON.stringify([d.length, p.spec.containers[0].env[0].value, [...Buffer.from(m.binaryData.file0, "base64")]]))' "$WORK/hostile.out")
	check_eq "it reads back as the same string, in 4 documents; a file not UTF-8 as its bytes" '[4,"\u001b[31m\"red\"\n---\nkind: Secret\n\\",[255,254,65]]' "$got"
fi
finish
