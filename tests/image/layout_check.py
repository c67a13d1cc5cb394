#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# layout_check.py LAYOUT REF_NAME: print the manifest digest that LAYOUT's index.json gives REF_NAME, after
# checking that every blob under blobs/sha256 has the digest of its name and that the image's manifest,
# config and layers are all there (through an index to the manifest for linux/amd64). Exit 1 with why.
import hashlib, json, os, sys

layout, ref = sys.argv[1], sys.argv[2]
blobs = os.path.join(layout, "blobs", "sha256")
for name in os.listdir(blobs):
    with open(os.path.join(blobs, name), "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != name:
            sys.exit(f"blob {name} does not have its digest")

def blob(desc):
    with open(os.path.join(blobs, desc["digest"].split(":")[1]), "rb") as f:
        data = f.read()
    if len(data) != desc["size"]:
        sys.exit(f"blob {desc['digest']}: size {len(data)}, descriptor says {desc['size']}")
    return data

index = json.load(open(os.path.join(layout, "index.json")))
found = [d for d in index["manifests"] if d.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref]
if len(found) != 1:
    sys.exit(f"{len(found)} descriptors named {ref} in index.json")
desc = found[0]
if desc["mediaType"].endswith("index.v1+json") or desc["mediaType"].endswith("list.v2+json"):
    inner = json.loads(blob(desc))
    desc = [m for m in inner["manifests"] if m["platform"]["architecture"] == "amd64"][0]
manifest = json.loads(blob(desc))
blob(manifest["config"])
for layer in manifest["layers"]:
    blob(layer)
print(desc["digest"])
