#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# hostile_registry.py MODE PORTFILE: a registry that lies, on a free 127.0.0.1 port (written to PORTFILE), plain
# HTTP. MODE: hang (accepts, never answers), escapes (errors whose code and message carry terminal escapes and
# bytes that are not UTF-8), huge (a manifest of 5 MiB), path (a manifest whose layer digest is a path), loop
# (redirects each blob to itself), leak (asks for basic credentials, then redirects the layer to another port,
# whose listener writes the request it got to PORTFILE.captured).
import hashlib, json, os, socket, sys, threading

CONFIG = b'{"os":"linux","architecture":"amd64"}'

mode, portfile = sys.argv[1], sys.argv[2]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(16)

def manifest():
    if mode == "huge":
        return b'{"schemaVersion":2,"pad":"' + b"x" * (5 << 20) + b'"}'
    layer = "sha256:../../../../etc/passwd" if mode == "path" else "sha256:" + "ab" * 32
    return json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(CONFIG),
                                  "digest": "sha256:" + hashlib.sha256(CONFIG).hexdigest()},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": 10,
                                   "digest": layer}]}).encode()

capture = socket.socket()
capture.bind(("127.0.0.1", 0))
capture.listen(4)

def captured():
    conn = capture.accept()[0]
    req = b""
    while b"\r\n\r\n" not in req:
        chunk = conn.recv(4096)
        if not chunk:
            break
        req += chunk
    with open(portfile + ".captured.tmp", "wb") as f:
        f.write(req)
    os.rename(portfile + ".captured.tmp", portfile + ".captured")
    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    conn.close()

def answer(conn):
    try:
        req = conn.recv(4096)
        if req[:1] == b"\x16":	# a TLS hello: answer as a plain HTTP server does, so the client falls back
            conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
            return
        while b"\r\n\r\n" not in req:
            chunk = conn.recv(4096)
            if not chunk:
                return
            req += chunk
        path = req.split(b" ")[1].decode()
        if path == "/v2/":
            status, body, extra = "200 OK", b"{}", ""
        elif mode == "leak" and b"\r\nauthorization: basic " not in req.lower():
            status, body, extra = "401 Unauthorized", b"", 'WWW-Authenticate: Basic realm="hostile"\r\n'
        elif mode == "leak" and "/blobs/" in path and not path.endswith(hashlib.sha256(CONFIG).hexdigest()):
            status, body, extra = "307 Temporary Redirect", b"", f"Location: http://127.0.0.1:{capture.getsockname()[1]}/blob\r\n"
        elif mode == "escapes":
            body = b'{"errors":[{"code":"\x1b[31mEVIL","message":"\x1b]0;pwned\x07 \xff\xfe \xc2\x9b2J"}]}'
            status, extra = "404 Not Found", ""
        elif "/manifests/" in path:
            status, body, extra = "200 OK", manifest(), "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n"
        elif path.endswith(hashlib.sha256(CONFIG).hexdigest()):
            status, body, extra = "200 OK", CONFIG, ""
        else:
            status, body, extra = "307 Temporary Redirect", b"", f"Location: {path}\r\n"
        conn.sendall(f"HTTP/1.1 {status}\r\n{extra}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    finally:
        conn.close()

with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
threading.Thread(target=captured, daemon=True).start()
held = []
while True:
    conn = srv.accept()[0]
    if mode == "hang":
        held.append(conn)
    else:
        threading.Thread(target=answer, args=(conn,), daemon=True).start()
