#!/usr/bin/env bash
# sha256_options.sh: startup cost of each way to get SHA-256 (cengine hashes link names on every up/down/ps).
# Builds bench/sha256_options.c once per option in a temporary directory and times N fork+exec+wait of each
# (best of 5 rounds, microseconds per run). Needs gcc, libssl-dev, libgcrypt20-dev. Usage: sha256_options.sh [N]
set -eu
n=${1:-300}
src=$(cd "$(dirname "$0")" && pwd)/sha256_options.c
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
gcc -O2 -o none "$src"
gcc -O2 -DLOWLEVEL -o static-lowlevel "$src" -Wl,-Bstatic -lcrypto -Wl,-Bdynamic
gcc -O2 -DEVP -o static-evp "$src" -Wl,-Bstatic -lcrypto -Wl,-Bdynamic -lpthread
gcc -O2 -DDLOPEN -o dlopen-libcrypto "$src"
gcc -O2 -DALG -o af_alg "$src"
gcc -O2 -DGCRY -o static-gcrypt "$src" -Wl,-Bstatic -lgcrypt -lgpg-error -Wl,-Bdynamic
cat > time.py <<'PY'
import os, sys, time
n = int(sys.argv[1])
for prog in sys.argv[2:]:
    ok = os.system(f"./{prog} >/dev/null 2>&1") == 0
    best = min(
        (lambda t0: (sum(os.waitpid(os.posix_spawn(f"./{prog}", [prog], os.environ,
            file_actions=[(os.POSIX_SPAWN_OPEN, fd, "/dev/null", os.O_WRONLY, 0) for fd in (1, 2)]), 0)[1] * 0 for _ in range(n)),
            time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(5))
    print(f"| {prog} | {os.path.getsize(prog) // 1024} kB | {best / n * 1e6:.0f} µs |" + ("" if ok else " (fails here)"))
PY
echo "| option | binary | fork+exec+wait |"
echo "| --- | ---: | ---: |"
python3 time.py "$n" none static-lowlevel static-evp dlopen-libcrypto af_alg static-gcrypt
