#!/usr/bin/env python3
"""Cost laws (make bench-costs): each tool's main cost against its size parameter over two decades or more,
the fitted exponent k of t ~ size^k with its 95% interval, the exponent the algorithm predicts, and the
kernel's share of the machine's measured peak (FLOP/s or memory bandwidth, whichever bounds it) where its
work is countable.

usage: /usr/bin/python3 bench/cost_laws.py BIN_DIR [--out DIR] [--repeats N] [--only TOOL,...]
                                            [--certificate-max L]

BIN_DIR holds the six tools and bench-peak (lib/core/peak.hpp: the FMA peak of one core per ISA, the read
bandwidth per thread count). Writes DIR/peak.csv and DIR/TOOL.csv (default results/bench), each with a
.meta.json, and prints the table. Every run is on one thread (--threads 1) so a share is a share of one
core. Times: the tool's own timing where it has one (rnn-fixpoint scan-bench's seconds, abc-min scaling's
seconds, attn-sweep stats' engine_seconds), otherwise the process's CPU time (user + sys, which the other
jobs on a shared machine inflate less than wall time) less that of the same command at a trivial size, or
of the run without the part measured (each law's command says which); the minimum of --repeats runs each
(fewer once a size's runs took 20 s). The fit is least squares of log t on log size
(scipy.stats.linregress) with the t quantile on n - 2 degrees of freedom; exponent_top is the slope over
the largest decade alone. Never run by ctest: timings are benchmarks, not tests.
"""
import argparse
import csv
import datetime
import json
import math
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy import stats

SCRIPT = "bench/cost_laws.py"


# ---- running a tool ----

def run(argv, want_stderr=False):
    """Runs argv to completion; returns (wall, cpu, stderr). cpu: the child's user + sys seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, r.stderr


def cpu_seconds(argv, repeats, budget=20.0):
    """The least CPU time of `repeats` runs, fewer once they have taken `budget` seconds (one at least)."""
    best, spent = math.inf, 0.0
    for _ in range(repeats):
        t = run(argv)[1]
        best, spent = min(best, t), spent + t
        if spent > budget:
            break
    return best


def csv_rows(argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr.strip()}")
    return list(csv.DictReader(r.stdout.splitlines()))


def geom_sizes(lo, hi, count, integer=True):
    sizes = np.geomspace(lo, hi, count)
    return [int(round(s)) for s in sizes] if integer else list(sizes)


# ---- the fit and the share of peak ----

def fit_exponent(sizes, seconds):
    x, y = np.log(np.asarray(sizes, float)), np.log(np.asarray(seconds, float))
    f = stats.linregress(x, y)
    half = stats.t.ppf(0.975, len(x) - 2) * f.stderr
    return f.slope, f.slope - half, f.slope + half


def top_exponent(sizes, seconds):
    """The least-squares slope over the largest decade of sizes (the upper third of their log range where that
    is wider): where a fixed cost per call, per iteration or per step has faded, the exponent of the algorithm's
    leading term."""
    lo, hi = math.log10(min(sizes)), math.log10(max(sizes))
    cut = 10 ** (hi - max(1.0, (hi - lo) / 3)) / 1.0001
    top = [(s, t) for s, t in zip(sizes, seconds) if s >= cut]
    if len({s for s, _ in top}) < 2:
        return math.nan
    return stats.linregress(np.log([float(s) for s, _ in top]), np.log([t for _, t in top])).slope


class Peak:
    def __init__(self, bin_dir):
        out = subprocess.run([os.path.join(bin_dir, "bench-peak")], capture_output=True, text=True, check=True)
        self.raw = json.loads(out.stdout)
        fma = self.raw["fma_gflops_core"]
        self.isa = max(fma, key=fma.get)
        self.flops = fma[self.isa] * 1e9  # one core, the best ISA: the machine's peak
        self.bandwidth = self.raw["read_gbs"]["1"] * 1e9  # one thread

    def share(self, flops, nbytes, seconds):
        """The larger of the two shares (the resource that bounds the kernel), and its kind."""
        f = flops / seconds / self.flops if flops else 0.0
        b = nbytes / seconds / self.bandwidth if nbytes else 0.0
        if not f and not b:
            return "", "n/a"
        return (f, f"FLOP/s ({self.isa} FMA, 1 core)") if f >= b else (b, "read bandwidth (1 thread)")


# ---- the laws: one function per tool, each returning rows ----

class Law:
    """One cost law: sizes, the best time at each, what the algorithm predicts and the work per unit."""

    def __init__(self, tool, cost, parameter, expected, work_note, flops=None, nbytes=None, command=""):
        self.tool, self.cost, self.parameter, self.expected = tool, cost, parameter, expected
        self.work_note, self.flops, self.nbytes, self.command = work_note, flops, nbytes, command
        self.sizes, self.seconds = [], []

    def add(self, size, seconds):
        self.sizes.append(size)
        self.seconds.append(seconds)

    def row(self, peak):
        k, lo, hi = fit_exponent(self.sizes, self.seconds)
        top = top_exponent(self.sizes, self.seconds)
        share, kind = "", "n/a"
        if self.flops or self.nbytes:
            s, t = self.sizes[-1], self.seconds[-1]
            share, kind = peak.share(self.flops(s) if self.flops else 0, self.nbytes(s) if self.nbytes else 0, t)
        return {
            "tool": self.tool, "cost": self.cost, "parameter": self.parameter,
            "sizes": ";".join(f"{s:g}" for s in self.sizes),
            "seconds": ";".join(f"{t:.4g}" for t in self.seconds),
            "exponent": f"{k:.3f}", "ci_lo": f"{lo:.3f}", "ci_hi": f"{hi:.3f}", "exponent_top": f"{top:.3f}",
            "expected_exponent": self.expected, "work_per_unit": self.work_note,
            "share_of_peak": f"{share:.3f}" if share != "" else "", "peak_kind": kind,
            "command": self.command,
        }


def rope_laws(tool, a):
    d, base = 128, 5e5
    scan = Law("attn-sweep", "RoPE scan: min f_b(m) over m < L, one base", "L", "1",
               "7 flops per (pair, m): 2 mul + 2 fma (angle-addition rotation) + 1 add; d/2 = 64 pairs",
               flops=lambda L: 7 * (d // 2) * L,
               command=f"rope-base --base {base:g} --d {d} --L X --threads 1 --device cpu")
    common = [tool, "rope-base", "--d", str(d), "--threads", "1", "--device", "cpu", "-q", "-o", "/dev/null"]
    startup = cpu_seconds(common + ["--base", f"{base:g}", "--L", "1"], a.repeats)
    for L in geom_sizes(1 << 17, 1 << 24, 6):
        scan.add(L, cpu_seconds(common + ["--base", f"{base:g}", "--L", str(L)], a.repeats) - startup)
    laws = [scan]
    if a.certificate_max >= 65536:
        cert = Law("attn-sweep", "RoPE certificate of b* (alone: run less the same run without it)", "L",
                   "none derived", "bases walked times the scan up to each refuting m: not counted",
                   command="rope-base --L X --certify-max X --threads 1 minus --certify-max 0")
        top = a.certificate_max
        for L in geom_sizes(32768, top, round(math.log2(top / 32768)) + 1):
            with_cert = cpu_seconds(common + ["--L", str(L), "--certify-max", str(L)], a.repeats)
            without = cpu_seconds(common + ["--L", str(L), "--certify-max", "0"], a.repeats)
            cert.add(L, with_cert - without)
        laws.append(cert)
    return laws


def attn_stats_laws(tool, a):
    q, d, alphas = 256, 128, 6
    law = Law("attn-sweep", "softmax statistics engine (stats: GEMM, exp, sums; engine_seconds)", "n", "1",
              f"2 d = {2 * d} flops per score, the q.k GEMM only; {q} queries. The {alphas} scalar exp per score "
              f"(one per scale) bound it, and an exp is no FLOP count",
              flops=lambda n: 2 * d * q * n, command=f"stats --n X --d {d} --queries {q} --threads 1 --device cpu")
    for n in geom_sizes(512, 65536, 6):
        best = math.inf
        for _ in range(a.repeats):
            err = run([tool, "stats", "--n", str(n), "--d", str(d), "--queries", str(q), "--threads", "1",
                       "--device", "cpu", "-o", "/dev/null"])[2]
            best = min(best, float(re.search(r"engine_seconds = ([0-9.e+-]+)", err).group(1)))
        law.add(n, best)
    return [law]


def abc_laws(tool, a):
    laws = {
        "quarter": Law("abc-min", "one solve, the O(N^1/4) window (quarter)", "N", "0.25",
                       "u128 divisions per candidate: integer work, no FLOP or byte count"),
        "pruned": Law("abc-min", "one solve, the pruned window (solve's default)", "N", "0.167 (heuristic)",
                      "u128 divisions per candidate: integer work, no FLOP or byte count"),
    }
    for law in laws.values():
        law.command = "scaling --from-exp 8 --to-exp 36 --samples 4 --brute-max 1 --sqrt-max 1 --threads 1"
    best = {}
    for _ in range(a.repeats):
        for r in csv_rows([tool, "scaling", "--from-exp", "8", "--to-exp", "36", "--samples", "4",
                           "--brute-max", "1", "--sqrt-max", "1", "--threads", "1", "-q"]):
            key = (r["method"], int(r["N"]))
            best[key] = min(best.get(key, math.inf), float(r["seconds"]))
    for (method, n), t in sorted(best.items(), key=lambda kv: kv[0][1]):
        if method in laws:
            laws[method].add(n, t)
    return list(laws.values())


def quanta_law_file(path, runs, copies=1, seed=1):
    """`runs` losses from Epoch AI's law on a log-uniform (N, D) box like Chinchilla's (log-normal noise 0.005),
    each written `copies` times. The fit's objective is the mean Huber loss over the runs, so copies leave it,
    and every start's iterations, unchanged: the time then grows with the rows alone."""
    rng = np.random.default_rng(seed)
    n = np.exp(rng.uniform(np.log(7e7), np.log(1.6e10), runs))
    d = np.exp(rng.uniform(np.log(5e9), np.log(5e11), runs))
    loss = (1.82 + 482.01 / n ** 0.3478 + 2085.43 / d ** 0.3658) * np.exp(0.005 * rng.standard_normal(runs))
    with open(path, "w") as f:
        f.write("Model Size,Training FLOP,loss\n")
        for _ in range(copies):
            for ni, di, li in zip(n, d, loss):
                f.write(f"{ni!r},{6 * ni * di!r},{li!r}\n")


def quanta_laws(tool, a):
    runs_law = Law("quanta-scaling", "fit: the 4500-start grid (BFGS on the mean Huber loss), 12 runs copied "
                   "1 .. 100 times (the same objective)", "runs", "1",
                   "an exp and a log per run and objective evaluation (libmvec), iterations not printed: not counted",
                   command="fit --csv RUNS.csv --exclude-highest 0 --bootstrap 0 --no-comparison --threads 1")
    starts_law = Law("quanta-scaling", "fit: bootstrap refits (run less the same with --bootstrap 0)", "starts",
                     "1", "starts = resamples x (1 + 3 perturbations); iterations data-dependent: not counted",
                     command="fit --csv 60RUNS.csv --exclude-highest 0 --no-comparison --perturbations 3 "
                             "--bootstrap X/4 --threads 1")
    with tempfile.TemporaryDirectory() as tmp:
        base = [tool, "fit", "--exclude-highest", "0", "--no-comparison", "--threads", "1", "-q", "-o", "/dev/null"]
        for copies in (1, 3, 10, 32, 100):
            path = os.path.join(tmp, f"runs-12x{copies}.csv")
            quanta_law_file(path, 12, copies)
            # The whole fit: its start-up (a few ms) is far below the 4500 starts even at 12 runs.
            runs_law.add(12 * copies, cpu_seconds(base + ["--csv", path, "--bootstrap", "0"], a.repeats))
        fixed = os.path.join(tmp, "runs-60.csv")
        quanta_law_file(fixed, 60)
        for resamples in geom_sizes(50, 5000, 5):
            # The run without the bootstrap measured beside each size, runs alternating: the difference of two
            # minima is only as steady as the machine between them.
            with_b, without = math.inf, math.inf
            bootstrap = ["--bootstrap", str(resamples), "--perturbations", "3"]
            for _ in range(a.repeats + 2):
                with_b = min(with_b, run(base + ["--csv", fixed, *bootstrap])[1])
                without = min(without, run(base + ["--csv", fixed, "--bootstrap", "0"])[1])
            starts_law.add(4 * resamples, with_b - without)
    return [runs_law, starts_law]


def jl_laws(tool, a):
    m, n_fixed, big_n = 256, 64, 1000
    # project: y = A c and A u (2 n m N flops each), the Gram matrices of the originals and of the images
    # (syrk: N^2 m and N^2 n flops each, two of each), the pairs' distortions and quantiles (N^2/2 pairs).
    points = Law("jl-entropy", f"project N points (m = {m}) to n = {n_fixed}: Grams, pairs, quantiles", "N", "2",
                 "2 N^2 (m + n) flops (four syrk Grams) + 4 n m N (the projections)",
                 flops=lambda N: 2 * N * N * (m + n_fixed) + 4 * n_fixed * m * N,
                 command=f"project --points X --dim {m} --n {n_fixed} --threads 1")
    dims = Law("jl-entropy", f"project N = {big_n} points (m = 64) to n dims: the n-dependent part", "n", "1",
               "N^2 n + 2 n m N flops per image set, two sets (distances, inner products): run less n = 1",
               flops=lambda n: 2 * (big_n * big_n * n + 2 * n * 64 * big_n),
               command=f"project --points {big_n} --dim 64 --n X --threads 1, less --n 1")
    base = [tool, "project", "--threads", "1", "-q", "-o", "/dev/null"]
    startup = cpu_seconds(base + ["--points", "2", "--dim", str(m), "--n", str(n_fixed)], a.repeats)
    for N in geom_sizes(50, 5000, 5):
        points.add(N, cpu_seconds(base + ["--points", str(N), "--dim", str(m), "--n", str(n_fixed)], a.repeats)
                   - startup)
    one = cpu_seconds(base + ["--points", str(big_n), "--dim", "64", "--n", "1"], a.repeats)
    for n in geom_sizes(16, 1600, 5):
        dims.add(n, cpu_seconds(base + ["--points", str(big_n), "--dim", "64", "--n", str(n)], a.repeats) - one)
    return [points, dims]


def w2_laws(tool, a):
    law = Law("score-w2", "mixture: particles through both probability-flow ODEs (one error, one eta)",
              "particles", "1 (x log M for the sort)",
              "adaptive Dormand-Prince steps, exp-bound mixture score: not counted",
              command="mixture --errors scale --etas 0.1 --particles X --threads 1")
    base = [tool, "mixture", "--errors", "scale", "--etas", "0.1", "--threads", "1", "-q", "-o", "/dev/null"]
    startup = cpu_seconds(base + ["--particles", "64"], a.repeats)
    for p in geom_sizes(30000, 3000000, 5):
        law.add(p, cpu_seconds(base + ["--particles", str(p)], a.repeats) - startup)
    return [law]


def rnn_laws(tool, a):
    def bench(t_list, d_list):
        rows = csv_rows([tool, "scan-bench", "--T-list", t_list, "--d-list", d_list, "--repeats", str(a.repeats),
                         "--threads", "1", "--device", "cpu", "-q"])
        return [r for r in rows if r["method"].endswith("_sequential")]

    d0, t0 = 16, 10000
    dense_t = Law("rnn-fixpoint", f"dense linear recurrence x_t = A x_(t-1) + b_t, d = {d0} (sequential)", "T",
                  "1", "2 d^2 flops, 16 d bytes (b_t read, x_t written) per step",
                  flops=lambda T: 2 * d0 * d0 * T, nbytes=lambda T: 16 * d0 * T)
    diag_t = Law("rnn-fixpoint", f"diagonal complex recurrence, d = {d0} channels (sequential)", "T", "1",
                 "8 d flops (complex multiply-add), 32 d bytes per step",
                 flops=lambda T: 8 * d0 * T, nbytes=lambda T: 32 * d0 * T)
    dense_d = Law("rnn-fixpoint", f"dense linear recurrence, T = {t0} (sequential)", "d", "2",
                  "2 d^2 flops, 16 d bytes per step", flops=lambda d: 2 * d * d * t0, nbytes=lambda d: 16 * d * t0)
    diag_d = Law("rnn-fixpoint", f"diagonal complex recurrence, T = {t0} (sequential)", "d", "1",
                 "8 d flops, 32 d bytes per step", flops=lambda d: 8 * d * t0, nbytes=lambda d: 32 * d * t0)
    ts = geom_sizes(10000, 1000000, 5)
    for r in bench(",".join(map(str, ts)), str(d0)):
        (dense_t if r["method"].startswith("dense") else diag_t).add(int(r["T"]), float(r["seconds"]))
    ds = [4, 10, 26, 64, 160, 400]
    for r in bench(str(t0), ",".join(map(str, ds))):
        (dense_d if r["method"].startswith("dense") else diag_d).add(int(r["d"]), float(r["seconds"]))
    for law in (dense_t, diag_t):
        law.command = f"scan-bench --T-list X --d-list {d0} --threads 1 (seconds column)"
    for law in (dense_d, diag_d):
        law.command = f"scan-bench --T-list {t0} --d-list X --threads 1 (seconds column)"
    for law in (dense_t, diag_t, dense_d, diag_d):  # sorted by size for the table
        order = sorted(range(len(law.sizes)), key=lambda i: law.sizes[i])
        law.sizes, law.seconds = [law.sizes[i] for i in order], [law.seconds[i] for i in order]
    return [dense_t, diag_t, dense_d, diag_d]


TOOLS = {
    "attn-sweep": lambda b, a: rope_laws(os.path.join(b, "attn-sweep"), a) + attn_stats_laws(
        os.path.join(b, "attn-sweep"), a),
    "quanta-scaling": lambda b, a: quanta_laws(os.path.join(b, "quanta-scaling"), a),
    "jl-entropy": lambda b, a: jl_laws(os.path.join(b, "jl-entropy"), a),
    "score-w2": lambda b, a: w2_laws(os.path.join(b, "score-w2"), a),
    "rnn-fixpoint": lambda b, a: rnn_laws(os.path.join(b, "rnn-fixpoint"), a),
    "abc-min": lambda b, a: abc_laws(os.path.join(b, "abc-min"), a),
}

COLUMNS = ["tool", "cost", "parameter", "sizes", "seconds", "exponent", "ci_lo", "ci_hi", "exponent_top",
           "expected_exponent",
           "work_per_unit", "share_of_peak", "peak_kind", "command"]


def machine():
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = re.search(r"Model name:\s*(.*)", out).group(1).strip()
    except (OSError, AttributeError):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "kernel": platform.release()}


def write(path, columns, rows, meta):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)
    with open(path + ".meta.json.tmp", "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    os.replace(path + ".meta.json.tmp", path + ".meta.json")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("bin_dir")
    p.add_argument("--out", default="results/bench")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--only", default=",".join(TOOLS), help="comma-separated tools")
    p.add_argument("--certificate-max", type=int, default=1048576,
                   help="the RoPE certificate's law over L = 32k .. this (powers of 2; slow beyond 1M); 0: skip it")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    started = time.time()
    meta = {"command": [SCRIPT, *sys.argv[1:]], "machine": machine(),
            "load_average_at_start": os.getloadavg()[0],
            "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}

    peak = Peak(a.bin_dir)
    fma = peak.raw["fma_gflops_core"]
    how = {"scalar": "a multiply and an add per step (the baseline build has no FMA)"}
    peak_rows = [{"quantity": f"fma_gflops_core_{isa}", "value": fma[isa],
                  "note": f"double-precision peak of one core, {isa}: {how.get(isa, '2 flops per FMA lane')}"}
                 for isa in fma]
    peak_rows += [{"quantity": f"read_gbs_threads_{t}", "value": v,
                   "note": f"memory read bandwidth, {t} thread(s), sum over 512 MiB"}
                  for t, v in peak.raw["read_gbs"].items()]
    write(os.path.join(a.out, "peak.csv"), ["quantity", "value", "note"], peak_rows,
          dict(meta, source="bench-peak (lib/core/peak.hpp)"))
    print(f"peak: FMA per core {', '.join(f'{k} {v:.1f}' for k, v in fma.items())} GFLOP/s; read "
          f"{', '.join(f'{k} thread(s) {v:.1f}' for k, v in peak.raw['read_gbs'].items())} GB/s", flush=True)

    print(f"{'tool':<15} {'parameter':<10} {'exponent [95%]':<24} {'top':<11} {'expected':<20} "
          f"{'share of peak':<14} cost")
    for name in a.only.split(","):
        t0 = time.time()
        rows = [law.row(peak) for law in TOOLS[name](a.bin_dir, a)]
        for r in rows:
            share = f"{float(r['share_of_peak']):.1%}" if r["share_of_peak"] else "n/a"
            k = f"{r['exponent']} [{r['ci_lo']}, {r['ci_hi']}]"
            print(f"{name:<15} {r['parameter']:<10} {k:<24} {r['exponent_top']:<11} "
                  f"{r['expected_exponent']:<20} {share:<14} {r['cost']}", flush=True)
        write(os.path.join(a.out, f"{name}.csv"), COLUMNS, rows,
              dict(meta, tool=name, wall_seconds=round(time.time() - t0, 1),
                   peak={"fma_gflops_core": fma, "read_gbs": peak.raw["read_gbs"]}))
    print(f"{time.time() - started:.0f} s, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
