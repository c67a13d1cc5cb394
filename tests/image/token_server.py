#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# token_server.py KEY PORTFILE: the bearer-token service of docker-registry's "token" auth, for the tests: on a free
# 127.0.0.1 port (written to PORTFILE), GET /token?service=S&scope=repository:NAME:ACTIONS answers a JWT signed
# (RS256, by `openssl dgst`) with KEY, granting the actions asked for to user "tester" with password "s3cret",
# and pull of public/* to anyone; wrong credentials get 401. The registry trusts KEY's certificate (its kid).
import base64, hashlib, http.server, json, os, subprocess, sys, time, urllib.parse

key, portfile = sys.argv[1], sys.argv[2]
ISSUER = "cengine-test-issuer"
USER = "Basic " + base64.b64encode(b"tester:s3cret").decode()

def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def kid():
    der = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"], check=True,
                         capture_output=True).stdout
    b32 = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode()
    return ":".join(b32[i:i + 4] for i in range(0, 48, 4))	# libtrust's key ID

KID = kid()

def token(service, access, sub):
    now = int(time.time())
    head = {"typ": "JWT", "alg": "RS256", "kid": KID}
    claims = {"iss": ISSUER, "sub": sub, "aud": service, "exp": now + 300, "nbf": now - 10, "iat": now,
              "jti": os.urandom(8).hex(), "access": access}
    signing = (b64url(json.dumps(head).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing, check=True,
                         capture_output=True).stdout
    return signing.decode() + "." + b64url(sig)

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        auth = self.headers.get("Authorization")
        if url.path != "/token" or (auth and auth != USER):
            self.send_response(401 if auth else 404)
            self.end_headers()
            return
        access = []
        for scope in q.get("scope", []):
            kind, name, actions = scope.split(":")
            if auth or (name.startswith("public/") and actions.split(",") == ["pull"]):
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
            else:
                self.send_response(401)
                self.end_headers()
                return
        body = json.dumps({"token": token(q.get("service", [""])[0], access, "tester" if auth else ""),
                           "expires_in": 300}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
