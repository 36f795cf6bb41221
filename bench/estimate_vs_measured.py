"""Shared by bench/estimates_<topic>.py: a tool's time estimate (core::require_time) against its measured
run time. The estimate is read from the refusal under MLDERIV_MAX_SECONDS=0.001 ("would take about X"),
the time is the best of 3 runs on --threads 2 (-q, CSV to /dev/null). Never run by ctest: timings on a
shared machine are noise for a test.
"""
import os
import re
import subprocess
import sys
import time

UNITS = {"s": 1, "min": 60, "h": 3600, "days": 86400, "years": 365.25 * 86400}


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


def compare(tool_name, cases, threads_option=True):
    """Prints estimate, measured and their ratio per case; the worst factor either way at the end."""
    bin_dir = sys.argv[1] if len(sys.argv) > 1 else "build/bin"
    tool = os.path.join(bin_dir, tool_name)
    print(f"{tool_name}, load {os.getloadavg()[0]:.2f}")
    print(f"{'subcommand':<12} {'options':<40} {'estimate':>9} {'measured':>9} {'ratio':>6}")
    worst = 1.0
    for sub, options in cases:
        args = [sub, *options, *(["--threads", "2"] if threads_option else [])]
        e, m = estimate(tool, args), measured(tool, args)
        worst = max(worst, e / m, m / e)
        print(f"{sub:<12} {' '.join(options):<40} {e:9.3g} {m:9.3g} {e / m:6.2f}", flush=True)
    print(f"worst factor {worst:.2f} ({'within' if worst <= 4 else 'OUTSIDE'} 4), load {os.getloadavg()[0]:.2f}")
