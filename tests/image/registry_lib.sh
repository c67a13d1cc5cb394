# SPDX-License-Identifier: MIT
# registry_lib.sh: image fixtures for the registry tests: an OCI layout built with umoci from the Alpine
# tarball, Debian's docker-registry on a free loopback port (its own config, storage, TLS and htpasswd), a test CA.
# shellcheck shell=bash

ALPINE_TGZ=${ALPINE_TGZ:-$TOP_SRCDIR/../shared/fixtures/alpine-minirootfs-3.22.2-x86_64.tar.gz}
[ -f "$ALPINE_TGZ" ] || ALPINE_TGZ=/work/shared/fixtures/alpine-minirootfs-3.22.2-x86_64.tar.gz

# registry_tools: skip (fail in CI) when a tool or the Alpine fixture is missing.
registry_tools() {
	local t
	for t in docker-registry skopeo umoci htpasswd openssl python3; do
		command -v "$t" >/dev/null || unavailable "no $t (install docker-registry skopeo umoci apache2-utils openssl)"
	done
	[ -f "$ALPINE_TGZ" ] || unavailable "no Alpine fixture (../shared/fixtures)"
}

# free_port: a TCP port nothing listens on at 127.0.0.1 now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# alpine_layout DIR: an OCI layout at DIR with tag "3.22": the Alpine tree as one layer, then a second
# layer (a file of this test's own, so its blobs are nobody else's), Cmd /bin/sh.
alpine_layout() {
	local dir=$1 bundle=$WORK/bundle.$RANDOM
	umoci init --layout "$dir" && umoci new --image "$dir:3.22" &&
		umoci unpack --rootless --image "$dir:3.22" "$bundle" >/dev/null &&
		tar -xzf "$ALPINE_TGZ" -C "$bundle/rootfs" &&
		umoci repack --image "$dir:3.22" "$bundle" &&
		rm -rf "$bundle" && umoci unpack --rootless --image "$dir:3.22" "$bundle" >/dev/null &&
		echo "registry test $$ $RANDOM" >"$bundle/rootfs/etc/cengine-test" &&
		umoci repack --image "$dir:3.22" "$bundle" &&
		umoci config --image "$dir:3.22" --config.cmd /bin/sh --os linux --architecture amd64 &&
		rm -rf "$bundle"
}

# test_ca DIR: DIR/ca.crt (a CA of this test's own) and DIR/server.crt + server.key for 127.0.0.1 signed by it.
test_ca() {
	local d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=cengine-test-ca -keyout "$d/ca.key" \
		-out "$d/ca.crt" 2>/dev/null &&
		openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$d/server.key" -out "$d/server.csr" \
			2>/dev/null &&
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/ext" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
			-extfile "$d/ext" -out "$d/server.crt" 2>/dev/null
}

# start_registry NAME [tls] [auth]: docker-registry serving $WORK/NAME/storage on a free 127.0.0.1 port,
# over TLS (certificates from test_ca in $WORK/ca) and/or with basic auth (user "tester", password "s3cret"
# in $WORK/NAME/htpasswd); sets REG_<NAME>=127.0.0.1:PORT, stops it by pid at exit.
start_registry() {
	local name=$1 dir=$WORK/$1 port pid opt tls='' auth=''
	shift
	for opt; do
		[ "$opt" != tls ] || tls="  tls: { certificate: $WORK/ca/server.crt, key: $WORK/ca/server.key }"
		[ "$opt" != auth ] || auth="auth: { htpasswd: { realm: cengine-test, path: $dir/htpasswd } }"
	done
	mkdir -p "$dir/storage"
	htpasswd -Bbn tester s3cret >"$dir/htpasswd" 2>/dev/null
	port=$(free_port)
	cat >"$dir/config.yml" <<YML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $dir/storage }, delete: { enabled: true } }
http:
  addr: 127.0.0.1:$port
$tls
$auth
YML
	docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
	pid=$!
	at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
	wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || bail "docker-registry $name did not start: $(tail -3 "$dir/log")"
	printf -v "REG_$name" '127.0.0.1:%s' "$port"
}

# registry_blob NAME DIGEST: the file in registry NAME's storage that holds blob DIGEST (sha256:...).
registry_blob() {
	local hex=${2#sha256:}
	echo "$WORK/$1/storage/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
}
