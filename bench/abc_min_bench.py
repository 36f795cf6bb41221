#!/usr/bin/env python3
"""`make bench` for abc-min: `abc-min solve --method auto` against a plain Python peer of the same window
method (Debian's python3, exact ints, math.isqrt) on the same 200 random N at 10^12, 10^24 and 10^36.

The peer is timed inside its loop (interpreter start-up excluded); abc-min is timed as a whole process
(start-up, parsing and CSV writing included, best of 3), so the ratio is conservative. Every answer of
the peer is checked against abc-min's. At 10^36 the peer needs minutes for 200 N, so by default it
solves the first 20 of them and the ratio compares time per N; --full runs the peer on all 200.
"""
import argparse
import math
import random
import subprocess
import sys
import time


def peer_min_sum(n):
    """The pruned window method, as a reader would write it: returns (a, b, c, S)."""
    best = (n, n, 0, 0)  # (S, c, a, b): a = b = 0, c = N
    r = math.isqrt(n)
    p = 2 * r + (1 if r * r + r < n else 0)  # floor(2 sqrt N)
    while p <= best[0]:
        p4 = (p * p) // 4
        if p4 <= n:
            q = p & 1
        else:
            m = p4 - n  # smallest q of p's parity with floor(q^2/4) >= m
            h = math.isqrt(m)
            if p % 2 == 0:
                if h * h < m:
                    h += 1
                q = 2 * h
            else:
                if h * (h + 1) < m:
                    h += 1
                q = 2 * h + 1
        a, b = (p - q) // 2, (p + q) // 2
        c = n - a * b
        s = p + c
        if s < best[0] or (s == best[0] and c < best[1]):
            best = (s, c, a, b)
        p += 1
    s, c, a, b = best
    return a, b, c, s


def run_abc_min(exe, numbers, repeats=3):
    text = "\n".join(map(str, numbers)) + "\n"
    best, rows = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run([exe, "solve", "-", "--method", "auto", "--quiet"], input=text, capture_output=True,
                              text=True, check=True)
        best = min(best, time.perf_counter() - start)
        rows = [tuple(map(int, line.split(",")[1:5])) for line in done.stdout.splitlines()[1:]]
    return best, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exe", help="path to abc-min")
    parser.add_argument("--count", type=int, default=200, help="random N per magnitude (default 200)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the random N (default 2026)")
    parser.add_argument("--full", action="store_true", help="run the peer on every N at 10^36 too (minutes)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    print(f"abc-min solve --method auto vs a Python peer of the same window method, {args.count} random N each")
    print(f"{'N in':>14} {'peer N':>6} {'peer s':>9} {'abc-min s':>10} {'per-N ratio':>12}  answers")
    failures = 0
    for exponent in (12, 24, 36):
        numbers = [rng.randrange(10**exponent, 10 ** (exponent + 1)) for _ in range(args.count)]
        cpp_seconds, cpp_rows = run_abc_min(args.exe, numbers)
        peer_count = len(numbers) if exponent < 36 or args.full else min(20, len(numbers))
        start = time.perf_counter()
        peer_rows = [peer_min_sum(n) for n in numbers[:peer_count]]
        peer_seconds = time.perf_counter() - start
        agree = sum(p == c for p, c in zip(peer_rows, cpp_rows))
        failures += peer_count - agree
        ratio = (peer_seconds / peer_count) / (cpp_seconds / len(numbers))
        print(f"[10^{exponent},10^{exponent + 1}) {peer_count:>6} {peer_seconds:>9.3f} {cpp_seconds:>10.4f} "
              f"{ratio:>11.0f}x  {agree}/{peer_count} agree")
    top = 2**127 - 1
    start = time.perf_counter()
    subprocess.run([args.exe, "solve", str(top), "--quiet"], capture_output=True, check=True)
    print(f"abc-min solve 2^127-1: {time.perf_counter() - start:.3f} s (whole process)")
    if failures:
        print(f"FAILED: {failures} answers differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
