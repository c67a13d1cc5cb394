#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/images.sh: images on this machine: unpack (cengine pull) against `umoci unpack` of the same layout; `up` of the
# pair from a cached image against the same tree as a directory; disk for ten images sharing a base, flattened trees
# against one directory per layer; what a container's start pays per lower layer (overlay lowerdirs, idmapped mounts).
# usage: sudo bench/images.sh [-r RUNS]   (prints a markdown table; needs umoci, python3, the Alpine fixture, debootstrap's cache)
set -u -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=7
[ "${1:-}" = -r ] && runs=$2
CENGINE=${CENGINE:-$top/_build/cengine}
TOP_SRCDIR=$top
[ "$(id -u)" = 0 ] || { echo "bench/images.sh: run as root" >&2; exit 1; }
for t in umoci python3 ip; do command -v "$t" >/dev/null || { echo "bench/images.sh: $t is missing" >&2; exit 1; }; done
. "$top/tests/lib.sh"
. "$top/tests/security/distro.sh"
. "$top/tests/integration/image_lib.sh"
unavailable() { echo "bench/images.sh: $*" >&2; exit 1; }
alpine_tarball
WORK=$(mktemp -d /var/tmp/cengine-bench-img.XXXXXX)
trap 'for c in "$WORK"/*.conf; do [ -e "$c" ] && "$CENGINE" down "$c" >/dev/null 2>&1; done; rm -rf "$WORK"' EXIT
export CENGINE_STORE_DIR=$WORK/store
FIX=$WORK/fix
mkdir -p "$FIX"
alpine_layout "$FIX/alpine" >/dev/null || exit 1
debian_layout "$FIX/debian" || exit 1

# ms CMD...: wall time of CMD in milliseconds
ms() { local t0 t1; t0=$(now_ms); "$@" >/dev/null 2>&1 || echo "bench: failed: $*" >&2; t1=$(now_ms); echo $((t1 - t0)); }
# stats: the median (min-max) of the numbers on stdin
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%d ms (%d–%d)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
row() { printf '| %s | %s | %s |\n' "$1" "$2" "$3"; }

echo "- machine: $(nproc) CPUs, kernel $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $runs runs each; figures are the median (min–max)"
echo
echo "| measurement | median (min–max) | note |"
echo "| --- | --- | --- |"

# --- 1. unpack: a fresh store each run (import: copy + sha256 of every blob, then unpack) against umoci unpack
for img in alpine debian; do
	c=$(for _ in $(seq "$runs"); do rm -rf "$CENGINE_STORE_DIR"; ms "$CENGINE" pull "oci:$FIX/$img:v1"; done | stats)
	u=$(for _ in $(seq "$runs"); do rm -rf "$WORK/bundle"; ms umoci unpack --image "$FIX/$img:v1" "$WORK/bundle"; done | stats)
	n=$(umoci stat --image "$FIX/$img:v1" --json 2>/dev/null | python3 -c 'import json,sys; print(sum(1 for h in json.load(sys.stdin)["history"] if not h.get("empty_layer")))' 2>/dev/null || echo "?")
	size=$(du -sh "$FIX/$img/blobs" | cut -f1)
	row "$img ($n layers, $size of blobs): \`cengine pull\` into an empty store" "$c" "import (copy, SHA-256) + unpack"
	row "$img: \`umoci unpack\` of the same layout" "$u" "unpack (+ its mtree manifest)"
done

# --- 2. up of the pair: from the cached image, and from the same tree as a directory
"$CENGINE" pull "oci:$FIX/alpine:v1" >/dev/null
tree=$("$CENGINE" images --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["tree"])')
cp -a "$tree" "$WORK/dir"
subnets NET
pair() {	# pair CONF ROOTKEY
	cat >"$1" <<CONF
name = "bimg-$$-$(basename "$1" .conf)";
networks = ( { name = "lan"; subnet = "$NET.0/24"; gateway = "$NET.1"; bridge = "cbi$$"; } );
defaults = { $2 memory = "50M"; command = [ "sleep", "600" ]; };
containers = ( { name = "centos1"; ip = "$NET.2"; }, { name = "centos2"; ip = "$NET.3"; } );
CONF
}
pair "$WORK/image.conf" "image = \"oci:$FIX/alpine:v1\";"
pair "$WORK/dir.conf" "rootfs = \"$WORK/dir\";"
for kind in dir image; do
	: >"$WORK/$kind.times"
done
for _ in $(seq "$runs"); do	# interleaved, so both see the same load
	for kind in dir image; do
		ms "$CENGINE" up "$WORK/$kind.conf" >>"$WORK/$kind.times"
		"$CENGINE" down "$WORK/$kind.conf" >/dev/null
	done
done
row "pair: \`up\` from a directory (the tree, copied)" "$(stats <"$WORK/dir.times")" "user namespace on"
row "pair: \`up\` from the cached image (oci:DIR:v1, in the store)" "$(stats <"$WORK/image.times")" "reads index.json and the manifest again"

# --- 3. disk: ten images on one base (the Alpine layout + one layer of 1 MiB of their own)
rm -rf "$CENGINE_STORE_DIR"
mkdir -p "$WORK/layers"
for i in $(seq 1 10); do
	cp -a "$FIX/alpine" "$FIX/ten$i"
	mkdir -p "$WORK/own$i/opt"
	head -c 1048576 /dev/urandom >"$WORK/own$i/opt/app$i"
	tar -C "$WORK/own$i" -cf "$WORK/own$i.tar" opt
	umoci raw add-layer --image "$FIX/ten$i:v1" "$WORK/own$i.tar" >/dev/null
	"$CENGINE" pull "oci:$FIX/ten$i:v1" >/dev/null
	mkdir -p "$WORK/layers/own$i" && tar -C "$WORK/layers/own$i" -xf "$WORK/own$i.tar"
done
mkdir -p "$WORK/layers/base"
python3 - "$FIX/alpine" "$WORK/layers/base" <<'PY'
import json, subprocess, sys
lay, out = sys.argv[1:]
blob = lambda d: lay + "/blobs/sha256/" + d[7:]
m = json.load(open(blob(json.load(open(lay + "/index.json"))["manifests"][0]["digest"])))
for l in m["layers"]:	# the shared base's layers once (whiteouts left as files: the size is what counts)
	subprocess.run(["tar", "-C", out, "-xzf", blob(l["digest"])], check=True)
PY
kib() { du -sk "$@" | awk '{ s += $1 } END { printf "%.1f MiB", s / 1024 }'; }
row "10 images sharing a base: flattened trees (cengine)" "$(kib "$CENGINE_STORE_DIR/trees")" "one tree per image"
row "10 images sharing a base: one directory per layer" "$(kib "$WORK/layers")" "base once + 10 own layers"
row "10 images: their blobs in the store" "$(kib "$CENGINE_STORE_DIR/blobs")" "shared layers stored once"

# --- 4. what a start pays per lower layer: an overlay of 1 flattened tree vs 4 layer dirs, and N idmapped mounts
python3 - "$runs" "$WORK/dir" "$WORK" <<'PY'
import ctypes, os, statistics, sys, time
runs, tree, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
libc = ctypes.CDLL(None, use_errno=True)
SYS_open_tree, SYS_mount_setattr = 428, 442
OPEN_TREE_CLONE, OPEN_TREE_CLOEXEC, AT_EMPTY_PATH = 1, 0o2000000, 0x1000
MOUNT_ATTR_IDMAP, CLONE_NEWUSER, MNT_DETACH = 0x00100000, 0x10000000, 2
class attr(ctypes.Structure):
    _fields_ = [("set", ctypes.c_uint64), ("clr", ctypes.c_uint64), ("prop", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]
def check(rc, what):
    if rc < 0:
        raise OSError(ctypes.get_errno(), what)
# a user namespace that maps 0..65535 to 100000..: a child unshares it and waits
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    check(libc.unshare(CLONE_NEWUSER), "unshare")
    os.write(w, b"x"); time.sleep(120); os._exit(0)
os.read(r, 1)
for f in ("uid_map", "gid_map"):
    open(f"/proc/{pid}/{f}", "w").write("0 100000 65536\n")
ns = os.open(f"/proc/{pid}/ns/user", os.O_RDONLY)
dirs = [os.path.join(work, "layers", d) for d in ("base", "own1", "own2", "own3")]
def idmapped(path):
    fd = libc.syscall(SYS_open_tree, -100, path.encode(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)
    check(fd, "open_tree " + path)
    a = attr(MOUNT_ATTR_IDMAP, 0, 0, ns)
    check(libc.syscall(SYS_mount_setattr, fd, b"", AT_EMPTY_PATH, ctypes.byref(a), ctypes.sizeof(a)), "idmap " + path)
    os.close(fd)
for d in ("u", "w", "m"):
    os.makedirs(os.path.join(work, d), exist_ok=True)
def overlay(lowers):
    opts = f"lowerdir={':'.join(lowers)},upperdir={work}/u,workdir={work}/w".encode()
    check(libc.mount(b"overlay", f"{work}/m".encode(), b"overlay", 0, opts), "mount overlay")
    check(libc.umount2(f"{work}/m".encode(), MNT_DETACH), "umount")
def med(fn, *a):
    t = []
    for _ in range(runs * 20):
        t0 = time.perf_counter(); fn(*a); t.append((time.perf_counter() - t0) * 1000)
    return f"{statistics.median(t):.3f} ms ({min(t):.3f}–{max(t):.3f})"
n = runs * 20
print(f"| start: overlay mount + umount over 1 flattened tree | {med(overlay, [tree])} | mount(2); {n} runs |")
print(f"| start: overlay mount + umount over 4 layer dirs | {med(overlay, dirs)} | the same, 4 lowerdirs |")
print(f"| start: 1 idmapped mount (user namespace) | {med(lambda: idmapped(tree))} | open_tree + mount_setattr; {n} runs |")
print(f"| start: 4 idmapped mounts, one per layer | {med(lambda: [idmapped(d) for d in dirs])} | what per-layer trees add with userns |")
os.kill(pid, 9)
PY
