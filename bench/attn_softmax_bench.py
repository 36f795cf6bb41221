#!/usr/bin/env python3
"""`make bench` for attn-sweep's softmax engine: the Monte Carlo part of `attn-sweep scale` (cosine scores,
d = 128, n = 20000 keys, 400 query rows, the 31 scales alpha*/4 .. 16 alpha* around alpha* = 33.68) computed
by `attn-sweep stats` and, on the very same draws (written by --dump), by PyTorch and NumPy on the CPU.

Each peer does what a reader would write: scores = Q @ K.T once, then per scale a numerically stable softmax
and its statistics (sum p^2, entropy, max p). Ours streams the same statistics for all scales in one pass.
Timings exclude drawing the samples (ours reports engine_seconds; the peers are timed around their
computation) and are the best of --repeats runs. Every peer answer is checked against ours. The machine's
measured peak is a float64 GEMM in PyTorch at the same thread count.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

try:
    import torch
except ImportError:  # the comparison still runs against NumPy
    torch = None


def our_run(exe, args, threads, dump):
    cmd = [exe, "stats", "--kind", "cosine", "--d", str(args.d), "--n", str(args.n), "--queries", str(args.queries),
           "--alphas", ",".join(repr(a) for a in args.alphas), "--threads", str(threads), "--device", "cpu",
           "--dump", dump]
    best, table = float("inf"), None
    for _ in range(args.repeats):
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        best = min(best, float(re.search(r"engine_seconds = ([0-9.e+-]+)", done.stderr).group(1)))
        table = np.loadtxt(done.stdout.splitlines()[1:], delimiter=",")
    k = len(args.alphas)
    return best, {"sum_p2": table[:, 2].reshape(-1, k), "entropy": table[:, 3].reshape(-1, k),
                  "max_p": table[:, 4].reshape(-1, k)}


def numpy_stats(q, k, alphas):
    s = q @ k.T
    top = s.max(axis=1, keepdims=True)
    out = {"sum_p2": [], "entropy": [], "max_p": []}
    for a in alphas:
        x = a * (s - top)
        e = np.exp(x)
        z = e.sum(axis=1)
        p = e / z[:, None]
        out["sum_p2"].append((p * p).sum(axis=1))
        out["entropy"].append(np.log(z) - (p * x).sum(axis=1))
        out["max_p"].append(1 / z)
    return {key: np.stack(v, axis=1) for key, v in out.items()}


def torch_stats(q, k, alphas):
    s = q @ k.T
    out = {"sum_p2": [], "entropy": [], "max_p": []}
    for a in alphas:
        logp = torch.log_softmax(a * s, dim=1)
        p = logp.exp()
        out["sum_p2"].append((p * p).sum(dim=1))
        out["entropy"].append(-(p * logp).sum(dim=1))
        out["max_p"].append(p.max(dim=1).values)
    return {key: torch.stack(v, dim=1).numpy() for key, v in out.items()}


def timed(fn, repeats):
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def worst_relative(ours, theirs):
    """Relative difference; the entropy's against max(|H|, 1) (at large scales H ~ 1e-13 and both sides
    carry an absolute error of a few ulp of 1)."""
    floor = {"sum_p2": 1e-300, "entropy": 1.0, "max_p": 1e-300}
    return max(float(np.max(np.abs(ours[k] - theirs[k]) / np.maximum(np.abs(ours[k]), floor[k]))) for k in ours)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exe", help="path to attn-sweep")
    parser.add_argument("--d", type=int, default=128)
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    alpha_star = 33.68382484862211  # attn-sweep scale: the approximation's alpha* at n = 20000, d = 128
    args.alphas = [alpha_star / 4 * 64 ** (i / 30) for i in range(31)]

    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, "draws")
        ours_s, ours = our_run(args.exe, args, args.threads, dump)
        k = np.fromfile(dump + ".keys.f64").reshape(args.n, args.d)
        q = np.fromfile(dump + ".queries.f64").reshape(args.queries, args.d)

    scores = args.n * args.queries
    gemm_flops = 2.0 * args.d * scores
    print(f"attn-sweep softmax engine vs peers: cosine scores, d = {args.d}, n = {args.n}, {args.queries} rows, "
          f"{len(args.alphas)} scales (the Monte Carlo of `attn-sweep scale` at n = {args.n}), {args.threads} threads")
    print(f"  attn-sweep stats : {ours_s:8.3f} s  {scores / ours_s:.3g} scores/s  "
          f"{scores * len(args.alphas) / ours_s:.3g} (score, scale) pairs/s  GEMM part {gemm_flops / ours_s / 1e9:.2f} GFLOP/s")

    np_s, np_res = timed(lambda: numpy_stats(q, k, args.alphas), args.repeats)
    print(f"  NumPy            : {np_s:8.3f} s  ratio {np_s / ours_s:6.2f}x  worst relative difference "
          f"{worst_relative(ours, np_res):.2e}")
    if torch is not None:
        torch.set_num_threads(args.threads)
        tq, tk = torch.from_numpy(q), torch.from_numpy(k)
        t_s, t_res = timed(lambda: torch_stats(tq, tk, args.alphas), args.repeats)
        print(f"  PyTorch (CPU)    : {t_s:8.3f} s  ratio {t_s / ours_s:6.2f}x  worst relative difference "
              f"{worst_relative(ours, t_res):.2e}")
        a = torch.randn(2048, 2048, dtype=torch.float64)
        peak_s, _ = timed(lambda: a @ a, 3)
        peak = 2 * 2048 ** 3 / peak_s / 1e9
        print(f"  measured peak    : float64 GEMM in PyTorch {peak:.1f} GFLOP/s; our GEMM part reaches "
              f"{gemm_flops / ours_s / 1e9 / peak:.1%} of it (the exponentials, {len(args.alphas)} per score, "
              f"are the rest of the work)")
    else:
        print("  PyTorch: not installed (Debian's python3-torch); skipped")
    agree = worst_relative(ours, np_res) < 1e-9
    print("  answers: " + ("every peer agrees with attn-sweep to 1e-9 relative" if agree else "PEERS DISAGREE"))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
