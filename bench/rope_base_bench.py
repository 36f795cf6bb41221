#!/usr/bin/env python3
"""`make bench` for attn-sweep rope-base: the published grid search for the smallest RoPE base (B = 1000 L;
for k = 1..5 split [0, B] into 10^k parts and move B to the smallest feasible grid point; d = 128) at
L = 1024 and 2048, by

  * NumPy, as the paper's authors would write it: f_b(m) for all m < L at once (cos of the outer product
    m x theta, summed over the pairs), no early exit, one grid point after another;
  * Numba: a compiled loop over m with an early exit at the first negative sum (one thread);
  * attn-sweep rope-base --certify-max 0 on 1 and on 2 threads (whole process: start-up and CSV included).

The NumPy peer needs minutes per L (about 1e5 grid points, each 64 x L cosines); past --numpy-budget
seconds it stops and its time is extrapolated from its rate (grid points per second) to the number of
grid points the search checks (counted by the Numba run), and it is marked so.

Every peer's result is checked against ours (the same b from the same grid). Then the wall time of the
whole default table (L = 1k .. 1M, grid search and certified b* for L <= 128k) on 2 threads.
Peers are timed inside Python (imports and Numba's compilation excluded), so the ratios favour the peers.
"""
import argparse
import csv
import io
import subprocess
import sys
import time

import numpy as np
from numba import njit


def grid_points(B, N, j0, j1):
    step = B / N
    return [B if j == N else j * step for j in range(j0, j1)]


class OutOfTime(Exception):
    pass


def grid_search(L, d, feasible, budget=float("inf")):
    """The published search; returns (B, grid points checked). Raises OutOfTime past `budget` seconds."""
    start, checks = time.perf_counter(), 0
    B = 1000.0 * L
    for k in range(1, 6):
        N = 10 ** k
        for b in grid_points(B, N, 1, N + 1):
            checks += 1
            if checks % 256 == 0 and time.perf_counter() - start > budget:
                raise OutOfTime(checks)
            if feasible(b, L, d):
                B = b
                break
    return B, checks


def numpy_feasible(b, L, d):
    theta = 1.0 / b ** (np.arange(0, d, 2, dtype=np.float64) / d)
    m = np.arange(L, dtype=np.float64)
    f = np.cos(np.outer(m, theta)).sum(axis=1)
    return bool((f >= 0).all())


@njit(cache=False)
def numba_feasible(b, L, d):
    n = d // 2
    theta = np.empty(n)
    for i in range(n):
        theta[i] = b ** (-2.0 * i / d)
    for m in range(L):
        f = 0.0
        for i in range(n):
            f += np.cos(m * theta[i])
        if f < 0:
            return False
    return True


def ours(exe, args):
    start = time.perf_counter()
    done = subprocess.run([exe, "rope-base", "-q"] + args, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, list(csv.DictReader(io.StringIO(done.stdout)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("exe", help="path to attn-sweep")
    ap.add_argument("--no-table", action="store_true", help="skip the timing of the whole default table")
    ap.add_argument("--numpy-budget", type=float, default=60, help="seconds of NumPy per L before extrapolating")
    a = ap.parse_args()
    d = 128
    numba_feasible(1000.0, 16, d)  # compile outside the timing
    ok = True
    print(f"rope-base grid search, d = {d}: seconds (ratio = peer / ours on 2 threads)")
    for L in (1024, 2048):
        t_nb = time.perf_counter(); b_nb, checks = grid_search(L, d, numba_feasible); t_nb = time.perf_counter() - t_nb
        t_np = time.perf_counter()
        try:
            b_np, _ = grid_search(L, d, numpy_feasible, a.numpy_budget)
            np_note = ""
        except OutOfTime as e:
            done = e.args[0]
            b_np, np_note = None, f" (extrapolated from {done} of {checks} grid points)"
        t_np = time.perf_counter() - t_np
        if b_np is None:
            t_np *= checks / done
        t1, rows1 = ours(a.exe, ["--L", str(L), "--certify-max", "0", "--threads", "1"])
        t2, rows2 = ours(a.exe, ["--L", str(L), "--certify-max", "0", "--threads", "2"])
        b_us = float(rows2[0]["b_grid"])
        same = b_np in (None, b_us) and b_nb == b_us and float(rows1[0]["b_grid"]) == b_us
        ok &= same
        agree = "all agree" if b_np is not None else "numba and ours agree; numpy stopped early"
        print(f"  L = {L}: b = {b_us!r} ({agree if same else f'DIFFER: numpy {b_np!r} numba {b_nb!r}'})")
        print(f"    numpy (no early exit) {t_np:9.2f} s   ratio {t_np / t2:8.0f}x{np_note}")
        print(f"    numba (early exit)    {t_nb:9.2f} s   ratio {t_nb / t2:8.1f}x")
        print(f"    ours, 1 thread        {t1:9.3f} s   (numba / ours-1-thread {t_nb / t1:.1f}x)")
        print(f"    ours, 2 threads       {t2:9.3f} s")
    if not a.no_table:
        t, rows = ours(a.exe, ["--threads", "2"])
        print(f"whole default table (L = 1k .. 1M, certified b* for L <= 128k), 2 threads: {t:.1f} s wall")
        for r in rows:
            print(f"  L = {r['L']:>7}: grid {float(r['b_grid']):.6g}  b* in [{r['b_star_lo']}, {r['b_star_hi']}]  "
                  f"paper {r['b_paper']}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
