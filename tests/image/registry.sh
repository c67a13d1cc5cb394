#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# registry.sh: registry_pull() from Debian's docker-registry on loopback, pushed to with skopeo: plain HTTP, TLS
# with a test CA, basic auth, digests, platforms; tampered, truncated, refused and hanging registries end in one
# line, exit 1 and nothing half-made in the layout.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
. "$TOP_SRCDIR/tests/integration/image_lib.sh"
. "$TOP_SRCDIR/tests/image/registry_lib.sh"
image_setup reg
registry_tools
# every cengine command here works on this test's own store, never the host's
[ "${CENGINE_STORE_DIR:-}" = "$WORK/store" ] || bail "image_setup did not give this test its own store"

PULL=${REGISTRY_PULL:-$(dirname "$CENGINE")/tests/image/registry-pull}
[ -x "$PULL" ] || bail "no registry-pull driver at $PULL"
SRC=$FIX/alpine
ARM_ONLY=1 multiarch_layout "$SRC" "$WORK/armonly" && multiarch_layout "$SRC" "$WORK/multi" ||
	bail "cannot build the multi-arch layouts"
mkdir -p "$WORK/ca" "$WORK/certs.d" && test_ca "$WORK/ca" && cp "$WORK/ca/ca.crt" "$WORK/certs.d/" ||
	bail "openssl could not make the test CA"
start_registry plain
PLAIN_PID=$REG_PID
start_registry tls tls
start_registry auth tls auth
skopeo copy -q --dest-tls-verify=false "oci:$SRC:v1" "docker://$REG_plain/alpine:3.22" ||
	bail "skopeo could not push to $REG_plain"
skopeo copy -q --dest-cert-dir "$WORK/certs.d" "oci:$SRC:v1" "docker://$REG_tls/alpine:3.22" ||
	bail "skopeo could not push to $REG_tls"
skopeo copy -q --dest-cert-dir "$WORK/certs.d" --dest-creds tester:s3cret "oci:$SRC:v1" "docker://$REG_auth/team/alpine:3.22" ||
	bail "skopeo could not push to $REG_auth"
DIGEST=$(skopeo inspect --raw --tls-verify=false "docker://$REG_plain/alpine:3.22" | sha256sum | cut -d' ' -f1)

# one_line FILE: FILE has exactly one line, which starts "registry-pull: pulling "
one_line() { [ "$(wc -l <"$1")" = 1 ] && grep -q '^registry-pull: pulling ' "$1"; }
# clean LAYOUT: every blob has its digest (layout_check), no partial file, and no ref in index.json
clean() {
	! ls -A "$1/blobs/sha256" | grep -q '^\.' && ! grep -qs ref.name "$1/index.json" &&
		for b in "$1"/blobs/sha256/*; do [ ! -e "$b" ] || [ "$(sha256sum <"$b" | cut -d' ' -f1)" = "${b##*/}" ] || return 1; done
}

# --- plain HTTP on loopback
check "pull over plain HTTP from a loopback registry" "$PULL" "$REG_plain/alpine:3.22" "$WORK/p1"
check_eq "index.json names the manifest the registry has, every blob verified" "sha256:$DIGEST" \
	"$(python3 "$TOP_SRCDIR/tests/image/layout_check.py" "$WORK/p1" "$REG_plain/alpine:3.22" 2>&1)"
check "the layout is one skopeo reads" skopeo inspect "oci:$WORK/p1"
check "the Alpine tree is in a layer" bash -c "for l in $WORK/p1/blobs/sha256/*; do tar -tf \$l 2>/dev/null; done | grep -qE '^(\./)?etc/alpine-release$'"
inodes() { stat -c '%n %i' "$1"/blobs/sha256/* | sort; }
before=$(inodes "$WORK/p1")
"$PULL" --progress "docker://$REG_plain/alpine:3.22" "$WORK/p1" 2>"$WORK/again.err"
check_eq "a second pull (docker:// form) fetches no blob again" "$before" "$(inodes "$WORK/p1")"
check_eq "... and reports no download" "" "$(cat "$WORK/again.err")"
check "pull by digest" "$PULL" "$REG_plain/alpine@sha256:$DIGEST" "$WORK/p2"
check "... recorded under NAME@DIGEST" python3 "$TOP_SRCDIR/tests/image/layout_check.py" "$WORK/p2" "$REG_plain/alpine@sha256:$DIGEST"
check "pull into a layout that holds another ref keeps both" "$PULL" "$REG_plain/alpine@sha256:$DIGEST" "$WORK/p1"
check_eq "... two descriptors" 2 "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["manifests"]))' "$WORK/p1/index.json")"

# --- TLS with the test CA
"$PULL" "$REG_tls/alpine:3.22" "$WORK/t0" 2>"$WORK/t0.err"
check "TLS: a certificate from an unknown CA is refused" grep -qi 'certificate' "$WORK/t0.err"
check "... in one line, and nothing is kept" bash -c "$(declare -f one_line clean); one_line $WORK/t0.err && clean $WORK/t0"
check "TLS: --ca-file trusts the test CA" "$PULL" --ca-file "$WORK/ca/ca.crt" "$REG_tls/alpine:3.22" "$WORK/t1"
check "TLS: so does SSL_CERT_FILE" env SSL_CERT_FILE="$WORK/ca/ca.crt" "$PULL" "$REG_tls/alpine:3.22" "$WORK/t2"
check "TLS pull has every blob" python3 "$TOP_SRCDIR/tests/image/layout_check.py" "$WORK/t2" "$REG_tls/alpine:3.22"

# --- basic auth (htpasswd, bcrypt), credentials from the files users have
export SSL_CERT_FILE=$WORK/ca/ca.crt
auth_json() { printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$1" "$(printf %s "$2" | base64 -w0)"; }
echo '{}' >"$WORK/empty.json"
"$PULL" --auth-file "$WORK/empty.json" "$REG_auth/team/alpine:3.22" "$WORK/a0" 2>"$WORK/a0.err"
check "auth: no credentials: refused, one line that says so" bash -c "$(declare -f one_line); one_line $WORK/a0.err && grep -q 'wants credentials' $WORK/a0.err"
auth_json "$REG_auth" tester:wrong >"$WORK/wrong.json"
"$PULL" --auth-file "$WORK/wrong.json" "$REG_auth/team/alpine:3.22" "$WORK/a1" 2>"$WORK/a1.err"
check "auth: wrong password: one line, nothing kept" bash -c "$(declare -f one_line clean); one_line $WORK/a1.err && grep -q 'refused the credentials' $WORK/a1.err && clean $WORK/a1"
mkdir -p "$WORK/xdg/containers" "$WORK/home/.docker"
auth_json "$REG_auth" tester:s3cret >"$WORK/xdg/containers/auth.json"
check "auth: \$XDG_RUNTIME_DIR/containers/auth.json" env -u REGISTRY_AUTH_FILE -u DOCKER_CONFIG XDG_RUNTIME_DIR="$WORK/xdg" \
	HOME="$WORK/none" "$PULL" "$REG_auth/team/alpine:3.22" "$WORK/a2"
auth_json "https://$REG_auth/v2/" tester:s3cret >"$WORK/home/.docker/config.json"
check "auth: ~/.docker/config.json (an https:// key)" env -u REGISTRY_AUTH_FILE -u DOCKER_CONFIG -u XDG_RUNTIME_DIR \
	HOME="$WORK/home" "$PULL" "$REG_auth/team/alpine:3.22" "$WORK/a3"
auth_json "$REG_auth/team" tester:s3cret >"$WORK/ns.json"
check "auth: a namespace entry (Podman's host/namespace key)" "$PULL" --auth-file "$WORK/ns.json" "$REG_auth/team/alpine:3.22" "$WORK/a4"
"$PULL" --auth-file "$WORK/missing.json" "$REG_auth/team/alpine:3.22" "$WORK/a5" 2>"$WORK/a5.err"
check "auth: a named auth file that is missing is an error" bash -c "$(declare -f one_line); one_line $WORK/a5.err"
unset SSL_CERT_FILE

# --- bearer tokens: docker-registry's token auth, its tokens signed by tests/image/token_server.py
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=cengine-test-token -keyout "$WORK/ca/token.key" \
	-out "$WORK/ca/token.crt" 2>/dev/null || bail "openssl could not make the token key"
python3 "$TOP_SRCDIR/tests/image/token_server.py" "$WORK/ca/token.key" "$WORK/token.port" 2>"$WORK/token.log" &
TOKEN_PID=$!
at_exit "kill $TOKEN_PID 2>/dev/null; wait $TOKEN_PID 2>/dev/null"
wait_for 10 test -s "$WORK/token.port" || bail "the token service did not start: $(cat "$WORK/token.log")"
start_registry bearer "token=http://127.0.0.1:$(cat "$WORK/token.port")/token"
for repo in team public; do
	skopeo copy -q --dest-tls-verify=false --dest-creds tester:s3cret "oci:$SRC:v1" "docker://$REG_bearer/$repo/alpine:3.22" ||
		bail "skopeo could not push to $REG_bearer/$repo (token auth): $(tail -3 "$WORK/bearer/log")"
done
auth_json "$REG_bearer" tester:s3cret >"$WORK/bearer.json"
check "bearer: a token from the realm, asked with the credentials" "$PULL" --auth-file "$WORK/bearer.json" "$REG_bearer/team/alpine:3.22" "$WORK/k1"
check "... every blob" python3 "$TOP_SRCDIR/tests/image/layout_check.py" "$WORK/k1" "$REG_bearer/team/alpine:3.22"
check "bearer: an anonymous token for a public repository (as Docker Hub gives)" "$PULL" --auth-file "$WORK/empty.json" \
	"$REG_bearer/public/alpine:3.22" "$WORK/k2"
"$PULL" --auth-file "$WORK/empty.json" "$REG_bearer/team/alpine:3.22" "$WORK/k3" 2>"$WORK/k3.err"
check "bearer: no anonymous token for a private one: one line, nothing kept" \
	bash -c "$(declare -f one_line clean); one_line $WORK/k3.err && grep -q 'refused an anonymous pull' $WORK/k3.err && clean $WORK/k3"
auth_json "$REG_bearer" tester:wrong >"$WORK/bearer-wrong.json"
"$PULL" --auth-file "$WORK/bearer-wrong.json" "$REG_bearer/team/alpine:3.22" "$WORK/k4" 2>"$WORK/k4.err"
check "bearer: wrong password: the token service refuses, one line, nothing kept" \
	bash -c "$(declare -f one_line clean); one_line $WORK/k4.err && grep -q 'refused the credentials' $WORK/k4.err && clean $WORK/k4"

# --- platforms: an image for another architecture only; a multi-arch index
skopeo copy -q --dest-tls-verify=false "oci:$WORK/armonly:v1" "docker://$REG_plain/armonly:1" || bail "cannot push armonly"
"$PULL" "$REG_plain/armonly:1" "$WORK/x0" 2>"$WORK/x0.err"
check "a manifest for linux/arm64 only: refused on amd64, one line, nothing kept" \
	bash -c "$(declare -f one_line clean); one_line $WORK/x0.err && grep -q 'for linux/arm64, not linux/amd64' $WORK/x0.err && clean $WORK/x0"
check "... and taken when arm64 is asked for" "$PULL" --arch arm64 "$REG_plain/armonly:1" "$WORK/x1"
skopeo copy -q --all --dest-tls-verify=false "oci:$WORK/multi:v1" "docker://$REG_plain/multi:1" || bail "cannot push the index"
check "a multi-arch index: the amd64 image is pulled" "$PULL" "$REG_plain/multi:1" "$WORK/m1"
check_eq "... index.json names the index, through which the amd64 manifest is complete" "sha256:$DIGEST" \
	"$(python3 "$TOP_SRCDIR/tests/image/layout_check.py" "$WORK/m1" "$REG_plain/multi:1" 2>&1)"
ARM=$(skopeo inspect --raw --tls-verify=false "docker://$REG_plain/armonly:1" | sha256sum | cut -d' ' -f1)
check "... the arm64 manifest is not fetched" test ! -e "$WORK/m1/blobs/sha256/$ARM"
"$PULL" --arch s390x "$REG_plain/multi:1" "$WORK/m2" 2>"$WORK/m2.err"
check "an index without the platform: one line that lists what it has" \
	bash -c "$(declare -f one_line clean); one_line $WORK/m2.err && grep -q 'it has: linux/arm64, linux/amd64' $WORK/m2.err && clean $WORK/m2"
"$PULL" "$REG_plain/alpine:nosuchtag" "$WORK/n0" 2>"$WORK/n0.err"
check "an unknown tag: one line with the registry's reason" \
	bash -c "$(declare -f one_line); one_line $WORK/n0.err && grep -q 'HTTP 404 (MANIFEST_UNKNOWN' $WORK/n0.err"

# --- a tampered and a truncated blob in the registry's storage (its last layer; the storage is this test's own)
LAYER=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layers"][-1]["digest"])' \
	"$WORK/p1/blobs/sha256/$DIGEST")
DATA=$(registry_blob plain "$LAYER")
cp "$DATA" "$WORK/layer.orig"
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); b = f.read(1); f.seek(0); f.write(bytes([b[0] ^ 1]))' "$DATA"
"$PULL" "$REG_plain/alpine:3.22" "$WORK/b1" 2>"$WORK/b1.err"
check "a blob whose bytes do not have its digest: one line, nothing kept" \
	bash -c "$(declare -f one_line clean); one_line $WORK/b1.err && grep -q 'digest mismatch' $WORK/b1.err && clean $WORK/b1"
check "... and no file named by that digest" test ! -e "$WORK/b1/blobs/sha256/${LAYER#sha256:}"
CENGINE_STORE_DIR=$WORK/store2 "$CENGINE" pull "$REG_plain/alpine:3.22" 2>"$WORK/b1s.err"
check "cengine pull of it: one line; the store keeps no temporary, no name, no blob of that digest" \
	bash -c "[ \$(wc -l <$WORK/b1s.err) = 1 ] && grep -q 'digest mismatch' $WORK/b1s.err &&
		[ \$(CENGINE_STORE_DIR=$WORK/store2; $(declare -f store_temps); store_temps) = 0 ] &&
		[ \$(CENGINE_STORE_DIR=$WORK/store2; $(declare -f store_names); store_names) = 0 ] &&
		! find $WORK/store2 -name '${LAYER#sha256:}' | grep -q ."
head -c 50 "$WORK/layer.orig" >"$DATA"
"$PULL" "$REG_plain/alpine:3.22" "$WORK/b2" 2>"$WORK/b2.err"
check "a truncated blob: one line, nothing kept" \
	bash -c "$(declare -f one_line clean); one_line $WORK/b2.err && grep -q 'truncated' $WORK/b2.err && clean $WORK/b2"
cp "$WORK/layer.orig" "$DATA"
check "the restored registry serves the image again" "$PULL" "$REG_plain/alpine:3.22" "$WORK/b2"

# --- registries that lie (tests/image/hostile_registry.py): one that accepts and never answers (bounded by the
# timeout), error text with terminal escapes, a huge manifest, a layer digest that is a path, a redirect loop
# hostile MODE: start one, HOST_<MODE>=127.0.0.1:PORT
hostile() {
	python3 "$TOP_SRCDIR/tests/image/hostile_registry.py" "$1" "$WORK/$1.port" 2>"$WORK/$1.log" &
	at_exit "kill $! 2>/dev/null; wait $! 2>/dev/null"
	wait_for 10 test -s "$WORK/$1.port" || bail "hostile_registry.py $1 did not start: $(cat "$WORK/$1.log")"
	printf -v "HOST_$1" '127.0.0.1:%s' "$(cat "$WORK/$1.port")"
}
for m in hang escapes huge path loop leak; do hostile $m; done
t0=$(now_ms)
"$PULL" --timeout 2 "$HOST_hang/alpine:3.22" "$WORK/h1" 2>"$WORK/h1.err"
rc=$? t=$(($(now_ms) - t0))
check "a registry that never answers: exit 1, one line naming the timeout" \
	bash -c "[ $rc = 1 ] && $(declare -f one_line clean); one_line $WORK/h1.err && grep -q 'no answer within 2 s' $WORK/h1.err && clean $WORK/h1"
check "... within the bound (2 s, measured $t ms)" in_range "$t" 1500 6000
"$PULL" "$HOST_escapes/x:1" "$WORK/e1" 2>"$WORK/e1.err"
check "a registry's error text reaches the terminal escaped: no ESC, no C1, no byte that is not UTF-8" \
	bash -c "$(declare -f one_line); one_line $WORK/e1.err && grep -qF 'x1b[31mEVIL' $WORK/e1.err &&
		! LC_ALL=C grep -q \$'[\x1b\x07\x9b\xff]' $WORK/e1.err"
"$PULL" "$HOST_huge/x:1" "$WORK/e2" 2>"$WORK/e2.err"
check "a manifest over 4 MiB: refused as it arrives, one line" \
	bash -c "$(declare -f one_line clean); one_line $WORK/e2.err && grep -q 'sent more than 4194304 bytes' $WORK/e2.err && clean $WORK/e2"
"$PULL" "$HOST_path/x:1" "$WORK/e3" 2>"$WORK/e3.err"
check "a layer digest that is a path: refused, nothing written outside the layout" \
	bash -c "$(declare -f one_line clean); one_line $WORK/e3.err && grep -q 'no sha256 digest' $WORK/e3.err && clean $WORK/e3"
"$PULL" "$HOST_loop/x:1" "$WORK/e4" 2>"$WORK/e4.err"
check "a blob that redirects to itself: stopped after a few redirects, one line" \
	bash -c "$(declare -f one_line clean); one_line $WORK/e4.err && grep -qi 'redirect' $WORK/e4.err && clean $WORK/e4"

auth_json "$HOST_leak" tester:s3cret >"$WORK/leak.json"
"$PULL" --auth-file "$WORK/leak.json" "$HOST_leak/x:1" "$WORK/e5" 2>"$WORK/e5.err"
check "a redirect to another port gets the request, not the credentials" \
	bash -c "grep -q '^GET /blob' $WORK/leak.port.captured && ! grep -qi '^authorization' $WORK/leak.port.captured &&
		$(declare -f one_line clean); one_line $WORK/e5.err && clean $WORK/e5"

# --- cengine pull, images and up from the registry; up again from the store with the registry stopped
check "cengine pull from the registry" "$CENGINE" pull "$REG_plain/alpine:3.22"
check "... which loads libcurl (dlopen)" bash -c "LD_DEBUG=libs '$CENGINE' pull '$REG_plain/alpine:3.22' 2>&1 >/dev/null | grep -q 'calling init: .*libcurl'"
check "--version and ps --json do not load libcurl" \
	bash -c "! { LD_DEBUG=libs '$CENGINE' --version; LD_DEBUG=libs '$CENGINE' ps --json; } 2>&1 >/dev/null | grep -q 'libcurl'"
check_eq "cengine images lists it by its canonical name and manifest" "docker://$REG_plain/alpine:3.22 sha256:$DIGEST" \
	"$("$CENGINE" images --json | python3 -c 'import json,sys; print(*[(x["name"], x["manifest"]) for x in json.load(sys.stdin)][0])')"
NLAYERS=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["layers"]))' "$WORK/p1/blobs/sha256/$DIGEST")
python3 "$TOP_SRCDIR/tests/ptyrun.py" -- env CENGINE_STORE_DIR="$WORK/store-tty" "$CENGINE" pull "$REG_plain/alpine:3.22" \
	>"$WORK/tty.out" 2>&1
check_eq "on a terminal, pull says each layer it fetched" "$NLAYERS" "$(grep -c '^layer sha256:[0-9a-f]\{12\} .*: pulled' "$WORK/tty.out")"
check_eq "... and each it unpacked, and exits 0" "$NLAYERS exit=0" "$(grep -c ': unpacked' "$WORK/tty.out") $(tail -1 "$WORK/tty.out" | tr -d '\r')"
blob_inodes() { stat -c '%n %i' "$CENGINE_STORE_DIR"/blobs/sha256/* | sort; }
before=$(blob_inodes)
check "a second pull asks the registry again" "$CENGINE" pull "$REG_plain/alpine:3.22"
check_eq "... and fetches no layer the store has (its blobs untouched)" "$before" "$(blob_inodes)"
ROOTFS='' write_conf "$CONF" <<CONF
{ name = "r1"; image = "$REG_plain/alpine:3.22"; command = [ "/bin/sleep", "3600" ]; ip = "$NET.2"; }
CONF
check "up of a container whose image is a registry reference" "$CENGINE" up "$CONF"
check_eq "... it runs the pulled tree: the second layer's file, the first's deleted by a whiteout" "two" \
	"$(x r1 -- sh -c 'cat /etc/layer2; test -e /etc/motd && echo motd')"
check_eq "... and it is Alpine" "3.22.2" "$(x r1 -- cat /etc/alpine-release)"
check "down" "$CENGINE" down "$CONF"
ROOTFS='' write_conf "$WORK/small.conf" 'unpack_max_size = "1M";' <<CONF
{ name = "r1"; image = "$REG_plain/alpine:3.22"; command = [ "/bin/sleep", "3600" ]; ip = "$NET.2"; }
CONF
CENGINE_STORE_DIR=$WORK/store-small "$CENGINE" up "$WORK/small.conf" 2>"$WORK/small.err"
check "layers larger than unpack_max_size together: refused before a byte is fetched, one line" \
	bash -c "[ \$(wc -l <$WORK/small.err) = 1 ] && grep -q 'more than the 1048576 that may be unpacked' $WORK/small.err &&
		! find $WORK/store-small -path '*blobs/sha256/*' -type f -size +100k | grep -q ."
kill "$PLAIN_PID" && wait "$PLAIN_PID" 2>/dev/null
check "with the registry stopped, up uses the image the store has" "$CENGINE" up "$CONF"
check_eq "... the same tree" "3.22.2" "$(x r1 -- cat /etc/alpine-release)"
check "down" "$CENGINE" down "$CONF"
"$CENGINE" pull "$REG_plain/alpine:3.22" 2>"$WORK/gone.err"
check "with the registry stopped, pull fails in one line" bash -c "[ \$(wc -l <$WORK/gone.err) = 1 ] && grep -q 'pulling $REG_plain/alpine:3.22' $WORK/gone.err"

# --- insecure_registries: a plain-HTTP registry that is not on loopback, in a network namespace of this test's
# own behind a veth (the host's side RNET.1, the registry RNET.2:5000)
subnets RNET
NS=ce-reg-$$ VH=vreg$$ VN=vregn$$
ip netns add "$NS" || bail "ip netns add $NS"
at_exit "ip netns del $NS 2>/dev/null; ip link del $VH 2>/dev/null"
ip link add "$VH" type veth peer name "$VN" && ip link set "$VN" netns "$NS" &&
	ip addr add "$RNET.1/24" dev "$VH" && ip link set "$VH" up &&
	nsenter --net="/run/netns/$NS" ip addr add "$RNET.2/24" dev "$VN" &&
	nsenter --net="/run/netns/$NS" ip link set "$VN" up &&
	nsenter --net="/run/netns/$NS" ip link set lo up || bail "cannot wire the registry's namespace"
start_registry far "ns=$NS" "addr=$RNET.2"
skopeo copy -q --dest-tls-verify=false "oci:$SRC:v1" "docker://$REG_far/alpine:3.22" || bail "cannot push to $REG_far"
export CENGINE_STORE_DIR=$WORK/store3
"$CENGINE" pull "$REG_far/alpine:3.22" 2>"$WORK/far.err"
check "a plain-HTTP registry off loopback is refused: one line, nothing in the store" \
	bash -c "[ \$(wc -l <$WORK/far.err) = 1 ] && grep -q 'SSL' $WORK/far.err && [ \$(CENGINE_STORE_DIR=$WORK/store3; $(declare -f store_names); store_names) = 0 ]"
ROOTFS='' write_conf "$CONF" "" "insecure_registries = [ \"$REG_far\" ];" <<CONF
{ name = "r1"; image = "$REG_far/alpine:3.22"; command = [ "/bin/sleep", "3600" ]; ip = "$NET.2"; }
CONF
check "check shows insecure_registries" bash -c "'$CENGINE' check '$CONF' | grep -qx 'insecure registries (plain HTTP allowed): $REG_far'"
check "up pulls from it over HTTP once the file lists it in insecure_registries" "$CENGINE" up "$CONF"
check_eq "... and runs its tree" "two" "$(x r1 -- cat /etc/layer2)"
check "down" "$CENGINE" down "$CONF"

for f in "$WORK"/*.err; do diag "${f##*/}: $(cat "$f")"; done
finish
