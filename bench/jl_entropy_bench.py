#!/usr/bin/env python3
"""`make bench` for jl-entropy: the `min-dim` search and the `entropy` sweep against the peers an ML reader
would write, on the same grids in the same run, with the answers compared within Monte Carlo error.

min-dim: the same bisection (smallest n in [1, ceil(4 ln N/(eps^2/2 - eps^3/3))], doubled while it fails, at which at least (1 - delta) of the
  trials keep every pair within eps) with scikit-learn's GaussianRandomProjection, and with plain NumPy
  (A = randn(n, m)/sqrt(n), Y = A X, distances from the Gram matrix). The draws differ from ours, so the
  fitted c in n_min ~ c ln N/eps^2 is compared within 3 combined standard errors.
entropy: for n = 2^4 .. 2^20 keys (the tool's default grid and query counts), d = 64, three scales: scores
  Q K^T, softmax, entropy -- in PyTorch on the CPU (batched matmul, log_softmax) and in NumPy (float64 both,
  one key set per n shared by its queries, like ours). Each n draws one key set, so a per-n mean entropy carries
  the key set's sampling error besides the queries' (two peer seeds differ by up to ~1% at small n, printed):
  means are compared within 4 query standard errors plus 1.5% of H, and the fitted slopes dH/d ln n within 0.02.

jl-entropy is timed as a whole process (start-up and CSV writing included). Ratios are peer time / ours, in
wall-clock seconds and in CPU seconds (all threads; the steadier measure on a shared, loaded machine).
The engine's achieved GFLOP/s counts the score products, 2 q n d per n, against the machine's measured
float64 matmul peak (NumPy, 2048 x 2048).
"""
import argparse
import csv
import io
import math
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import torch
from sklearn.random_projection import GaussianRandomProjection

warnings.filterwarnings("ignore", message="The number of components is higher")

EPS, DELTA, TRIALS, DIM = 0.5, 0.1, 10, 512


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_tool(exe, args):
    """Wall and CPU seconds of the whole process, and its CSV rows."""
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run([exe] + args + ["--quiet"], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, children_cpu() - cpu, list(csv.DictReader(io.StringIO(done.stdout)))


def timed(fn, *args):
    """Wall and CPU seconds (every thread of this process) of fn(*args), and its result."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - start, time.process_time() - cpu, result


def max_distortion(x, y, d2):
    """x: N x m originals, y: N x n images; d2: the originals' squared distances (upper triangle)."""
    g = y @ y.T
    sq = np.diag(g)
    p2 = sq[:, None] + sq[None, :] - 2 * g
    iu = np.triu_indices(len(x), 1)
    return np.max(np.abs(p2[iu] / d2 - 1))


def min_dim_peer(points, project, seed):
    rows = []
    for i, count in enumerate(points):
        rng = np.random.default_rng(seed + i)
        x = rng.standard_normal((count, DIM))
        x -= x.mean(axis=0)
        g = x @ x.T
        sq = np.diag(g)
        d2 = (sq[:, None] + sq[None, :] - 2 * g)[np.triu_indices(count, 1)]
        need = TRIALS - math.floor(DELTA * TRIALS + 1e-9)
        cache = {}

        def success(n):
            if n not in cache:
                ok = sum(max_distortion(x, project(x, n, 1000 * i + t + 1), d2) <= EPS for t in range(TRIALS))
                cache[n] = ok >= need
            return cache[n]

        hi, lo = math.ceil(4 * math.log(count) / (EPS**2 / 2 - EPS**3 / 3)), 0
        while not success(hi):
            hi *= 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if success(mid):
                hi = mid
            else:
                lo = mid
        rows.append(hi)
    return rows


def sklearn_project(x, n, seed):
    return GaussianRandomProjection(n_components=n, random_state=seed).fit_transform(x)


def numpy_project(x, n, seed):
    a = np.random.default_rng(seed).standard_normal((n, x.shape[1])) / math.sqrt(n)
    return x @ a.T


def fit_c(points, n_min):
    xs = np.array([math.log(p) / EPS**2 for p in points])
    ys = np.array(n_min, dtype=float)
    c = (xs @ ys) / (xs @ xs)
    resid = ys - c * xs
    se = math.sqrt((resid @ resid) / (len(xs) - 1) / (xs @ xs))
    return c, se


def queries(n):
    return min(4096, max(64, (1 << 24) // n))


def scales(n, d, kappa=1.0):
    return [1 / math.sqrt(d), math.log(n) / math.log(512) / math.sqrt(d), kappa * math.log(n) / d]


def entropy_torch(grid, d, seed):
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for n in grid:
        q = torch.randn(queries(n), d, generator=gen, dtype=torch.float64)
        k = torch.randn(n, d, generator=gen, dtype=torch.float64)
        s = q @ k.T
        for j, lam in enumerate(scales(n, d)):
            logp = torch.log_softmax(lam * s, dim=-1)
            h = -(logp.exp() * logp).sum(-1)
            out[(n, j)] = (h.mean().item(), h.std().item(), len(h))
    return out


def entropy_numpy(grid, d, seed):
    rng = np.random.default_rng(seed)
    out = {}
    for n in grid:
        q = rng.standard_normal((queries(n), d))
        k = rng.standard_normal((n, d))
        s = q @ k.T
        for j, lam in enumerate(scales(n, d)):
            z = lam * s
            z -= z.max(axis=1, keepdims=True)
            e = np.exp(z)
            tot = e.sum(axis=1, keepdims=True)
            p = e / tot
            h = -(p * (z - np.log(tot))).sum(axis=1)
            out[(n, j)] = (h.mean(), h.std(ddof=1), len(h))
    return out


def slope(table, j, grid):
    x = np.log(np.array(grid, dtype=float))
    y = np.array([table[(n, j)][0] for n in grid])
    return np.polyfit(x, y, 1)[0]


def matmul_peak():
    a = np.random.default_rng(0).standard_normal((2048, 2048))
    a @ a
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - start)
    return 2 * 2048**3 / best / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exe", help="path to jl-entropy")
    parser.add_argument("--log2-to", type=int, default=20, help="largest n = 2^k keys of the entropy sweep")
    parser.add_argument("--points", default="10,30,100,300,1000", help="min-dim's grid of N")
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count())
    failures = 0

    points = [int(p) for p in args.points.split(",")]
    print(f"min-dim: eps {EPS}, delta {DELTA}, {TRIALS} trials, points in {DIM} dims, N = {args.points}")
    ours_s, ours_cpu, rows = run_tool(args.exe, ["min-dim", "--points", args.points])
    ours = [int(r["n_min"]) for r in rows]
    c_ours, se_ours = float(rows[0]["c_fit"]), float(rows[0]["c_fit_se"])
    print(f"  {'who':<14} {'wall s':>8} {'ratio':>7} {'CPU s':>8} {'ratio':>7}  n_min per N; fitted c")
    print(f"  {'jl-entropy':<14} {ours_s:>8.2f} {'1':>7} {ours_cpu:>8.2f} {'1':>7}  {ours}; "
          f"c = {c_ours:.2f} +- {se_ours:.2f}")
    for name, project in (("scikit-learn", sklearn_project), ("numpy", numpy_project)):
        secs, cpu, peer = timed(min_dim_peer, points, project, 2026)
        c, se = fit_c(points, peer)
        ok = abs(c - c_ours) <= 3 * math.hypot(se, se_ours)
        failures += not ok
        print(f"  {name:<14} {secs:>8.2f} {secs / ours_s:>6.1f}x {cpu:>8.2f} {cpu / ours_cpu:>6.1f}x  {peer}; "
              f"c = {c:.2f} +- {se:.2f} ({'agrees' if ok else 'DIFFERS'} within 3 se)")

    d = 64
    grid = [1 << k for k in range(4, args.log2_to + 1)]
    flops = sum(2 * queries(n) * n * d for n in grid)
    print(f"entropy: n = 2^4 .. 2^{args.log2_to}, d = {d}, three scales, queries per n = clamp(2^24/n, 64, 4096)")
    ours_s, ours_cpu, rows = run_tool(args.exe, ["entropy", "--log2-to", str(args.log2_to)])
    ours = {}
    for i, r in enumerate(rows):
        ours[(int(r["n"]), i % 3)] = (float(r["entropy_mean"]), float(r["entropy_sd"]), int(r["queries"]))
    peak = matmul_peak()
    print(f"  {'who':<14} {'wall s':>8} {'ratio':>7} {'CPU s':>8} {'ratio':>7} {'GFLOP/s':>8}  agreement")
    print(f"  {'jl-entropy':<14} {ours_s:>8.2f} {'1':>7} {ours_cpu:>8.2f} {'1':>7} {flops / ours_s / 1e9:>8.2f}  "
          f"(machine float64 matmul peak {peak:.1f} GFLOP/s)")
    for name, peer_fn in (("pytorch", entropy_torch), ("numpy", entropy_numpy)):
        secs, cpu, peer = timed(peer_fn, grid, d, 2026)
        worst = 0.0
        for key, (m, s, q) in ours.items():
            pm, ps, pq = peer[key]
            worst = max(worst, abs(m - pm) / (4 * math.sqrt(s * s / q + ps * ps / pq) + 0.015 * abs(m)))
        slope_gap = max(abs(slope(ours, j, grid) - slope(peer, j, grid)) for j in range(3))
        ok = worst <= 1 and slope_gap <= 0.02
        failures += not ok
        print(f"  {name:<14} {secs:>8.2f} {secs / ours_s:>6.1f}x {cpu:>8.2f} {cpu / ours_cpu:>6.1f}x "
              f"{flops / secs / 1e9:>8.2f}  largest |mean difference| = {worst:.2f} of its tolerance; "
              f"slopes within {slope_gap:.4f} ({'agrees' if ok else 'DIFFERS'})")
    small = [n for n in grid if n <= 1024]
    a, b = entropy_numpy(small, d, 1), entropy_numpy(small, d, 2)
    spread = max(abs(a[k][0] - b[k][0]) / a[k][0] for k in a)
    print(f"  key-set sampling error: two NumPy seeds differ by up to {100 * spread:.2f}% on n <= 1024")
    if failures:
        print(f"FAILED: {failures} peer comparisons differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
