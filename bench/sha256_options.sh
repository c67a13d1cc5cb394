#!/usr/bin/env bash
# sha256_options.sh: startup cost of each way to get SHA-256 (cengine hashes link names on every up/down/ps).
# Builds bench/sha256_options.c once per option in a temporary directory and times N fork+exec+wait of each
# (bench/startup.py: interleaved batches of N). Needs gcc, libssl-dev, libgcrypt20-dev. Usage: sha256_options.sh [N]
set -eu
n=${1:-50}
bench=$(cd "$(dirname "$0")" && pwd)
src=$bench/sha256_options.c
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
gcc -O2 -o none "$src"
gcc -O2 -DLOWLEVEL -o static-lowlevel "$src" -Wl,-Bstatic -lcrypto -Wl,-Bdynamic
gcc -O2 -DEVP -o static-evp "$src" -Wl,-Bstatic -lcrypto -Wl,-Bdynamic -lpthread
gcc -O2 -DDLOPEN -o dlopen-libcrypto "$src"
gcc -O2 -DALG -o af_alg "$src"
gcc -O2 -DGCRY -o static-gcrypt "$src" -Wl,-Bstatic -lgcrypt -lgpg-error -Wl,-Bdynamic
echo "| option | binary | best | median |"
echo "| --- | ---: | ---: | ---: |"
N=$n "$bench/startup.py" none,static-lowlevel,static-evp,dlopen-libcrypto,af_alg,static-gcrypt
