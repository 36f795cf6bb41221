#!/usr/bin/env python3
"""The time estimates of jl-entropy (core::require_time) against measured run times, by hand (never run by
ctest: timings on a shared machine are noise for a test). For each subcommand, 2-3 sizes: the estimate read
from the refusal under MLDERIV_MAX_SECONDS=0.001 ("would take about X"), then the best of 3 runs on --threads 2.
The estimate should lie within a factor of 4 of the measured time, erring high.

usage: bench/estimates_jl.py [BIN_DIR]   (default build/bin)
"""
import os
import re
import subprocess
import sys
import time

UNITS = {"s": 1, "min": 60, "h": 3600, "days": 86400, "years": 365.25 * 86400}
CASES = [
    ("min-dim", ["--trials", "20"]),
    ("min-dim", ["--trials", "60", "--points", "100,300"]),
    ("norm-tail", ["--trials", "100000"]),
    ("norm-tail", ["--trials", "200000", "--n", "64,1024"]),
    ("ortho-tail", ["--trials", "50000"]),
    ("ortho-tail", ["--trials", "100000", "--n", "64,1024"]),
    ("entropy", ["--log2-to", "14"]),
    ("entropy", ["--log2-to", "16"]),
    ("entropy", ["--d", "256", "--log2-to", "12"]),
]


def estimate(tool, args):
    env = dict(os.environ, MLDERIV_MAX_SECONDS="0.001")
    r = subprocess.run([tool, *args], capture_output=True, text=True, env=env)
    m = re.search(r"would take about ([0-9.e+-]+) (s|min|h|days|years) ", r.stderr)
    if r.returncode != 2 or not m:
        sys.exit(f"no estimate from {' '.join(args)}: exit {r.returncode}, {r.stderr.strip()}")
    return float(m.group(1)) * UNITS[m.group(2)]


def measured(tool, args, runs=3):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([tool, *args, "-q", "-o", "/dev/null"], check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    bin_dir = sys.argv[1] if len(sys.argv) > 1 else "build/bin"
    tool = os.path.join(bin_dir, "jl-entropy")
    print(f"load {os.getloadavg()[0]:.2f}")
    print(f"{'subcommand':<12} {'options':<36} {'estimate':>9} {'measured':>9} {'ratio':>6}")
    worst = 1.0
    for sub, options in CASES:
        args = [sub, *options, "--threads", "2"]
        e, m = estimate(tool, args), measured(tool, args)
        worst = max(worst, e / m, m / e)
        print(f"{sub:<12} {' '.join(options):<36} {e:9.3g} {m:9.3g} {e / m:6.2f}", flush=True)
    print(f"worst factor {worst:.2f} ({'within' if worst <= 4 else 'OUTSIDE'} 4)")


if __name__ == "__main__":
    main()
