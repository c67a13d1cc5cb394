#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# startup.py PROG[,PROG...] [ARGS...]: the cost of starting each PROG with ARGS (fork+exec+wait, output to
# /dev/null), in interleaved batches so that the machine's load hits every program alike: a Markdown row per
# program with the best and the median batch mean in microseconds. BATCHES and N (runs a batch) from the environment.
import os, statistics, sys, time

n, batches = int(os.environ.get("N", 50)), int(os.environ.get("BATCHES", 30))
progs, args = sys.argv[1].split(","), sys.argv[2:]
actions = [(os.POSIX_SPAWN_OPEN, fd, "/dev/null", os.O_WRONLY, 0) for fd in (1, 2)]
means = {p: [] for p in progs}
for _ in range(batches):
    for p in progs:
        t0 = time.perf_counter()
        for _ in range(n):
            os.waitpid(os.posix_spawn(p, [p] + args, os.environ, file_actions=actions), 0)
        means[p].append((time.perf_counter() - t0) / n * 1e6)
for p in progs:
    ok = os.system(f"'{os.path.abspath(p)}' {' '.join(args)} >/dev/null 2>&1") == 0
    print(f"| {os.path.basename(p)} | {os.path.getsize(p) // 1024} kB | {min(means[p]):.0f} µs | "
          f"{statistics.median(means[p]):.0f} µs |" + ("" if ok else " fails here"))
