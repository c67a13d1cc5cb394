# SPDX-License-Identifier: MIT
# registry_lib.sh: what the registry tests add to image_lib.sh's fixtures: Debian's docker-registry on a free
# loopback port (its own config, storage, TLS and htpasswd) and a test CA.
# shellcheck shell=bash

# registry_tools: skip (fail in CI) when a tool is missing.
registry_tools() {
	local t
	for t in docker-registry htpasswd openssl; do
		command -v "$t" >/dev/null || unavailable "no $t (install docker-registry apache2-utils openssl)"
	done
}

# free_port: a TCP port nothing listens on at 127.0.0.1 now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
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

# start_registry NAME [tls] [auth] [token=REALM] [ns=NETNS addr=IP]: docker-registry serving $WORK/NAME/storage
# on a free 127.0.0.1 port (or on IP:5000 inside the network namespace NETNS), over TLS (certificates from
# test_ca in $WORK/ca), with basic auth (user "tester", password "s3cret" in $WORK/NAME/htpasswd) or with bearer
# tokens from REALM (token_server.py, its key's certificate in $WORK/ca/token.crt); sets
# REG_<NAME>=HOST:PORT and REG_PID, stops it by pid at exit.
start_registry() {
	local name=$1 dir=$WORK/$1 host=127.0.0.1 port='' pid opt tls='' auth='' ns=()
	shift
	for opt; do
		case $opt in
		tls) tls="  tls: { certificate: $WORK/ca/server.crt, key: $WORK/ca/server.key }" ;;
		auth) auth="auth: { htpasswd: { realm: cengine-test, path: $dir/htpasswd } }" ;;
		token=*) auth="auth: { token: { realm: \"${opt#token=}\", service: cengine-test-registry, issuer: cengine-test-issuer, rootcertbundle: $WORK/ca/token.crt } }" ;;
		ns=*) ns=(nsenter "--net=/run/netns/${opt#ns=}") port=5000 ;;
		addr=*) host=${opt#addr=} ;;
		esac
	done
	mkdir -p "$dir/storage"
	htpasswd -Bbn tester s3cret >"$dir/htpasswd" 2>/dev/null
	port=${port:-$(free_port)}
	cat >"$dir/config.yml" <<YML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $dir/storage }, delete: { enabled: true } }
http:
  addr: $host:$port
$tls
$auth
YML
	"${ns[@]}" docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
	pid=$! REG_PID=$!
	at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
	wait_for 20 bash -c "exec 3<>/dev/tcp/$host/$port" || bail "docker-registry $name did not start: $(tail -3 "$dir/log")"
	printf -v "REG_$name" '%s:%s' "$host" "$port"
}

# registry_blob NAME DIGEST: the file in registry NAME's storage that holds blob DIGEST (sha256:...).
registry_blob() {
	local hex=${2#sha256:}
	echo "$WORK/$1/storage/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
}
