#!/usr/bin/env python3
"""Run a command and report its resource use: rusage.py OUT.json CMD [ARGS...]

stdin/stdout/stderr pass through; OUT.json gets wall seconds, user+system CPU seconds and the
peak RSS (KiB) of the command and its descendants (RUSAGE_CHILDREN). Used by the benchmarks
because Node cannot read a child's rusage and /usr/bin/time is not always installed.
"""
import json, resource, subprocess, sys, time

out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
code = subprocess.call(cmd)
wall = time.monotonic() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    json.dump({"code": code, "wall": wall, "cpu": r.ru_utime + r.ru_stime, "maxRssKb": r.ru_maxrss}, f)
sys.exit(code)
