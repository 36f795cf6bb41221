#!/usr/bin/env python3
"""`make bench` for the Python module: what a call costs from Python against the same work by the C++
tool and by NumPy.

- call overhead: microseconds per small call (rope.rope_sum, abc.min_sum(130), attn.softmax_stats of one
  row of 64 scores), best of several timeit runs, against the tool's whole process for the same answer;
- large calls: the module against the tool on the same work, each timed as a whole (the tool's process,
  start-up, parsing and CSV included; the module's call, its conversion to NumPy included), in interleaved
  rounds (both sides see the same load on a shared machine), best of each: the target is the module within
  5% of the tool; and attn.softmax_stats against the NumPy softmax a reader
  would write (the same entropy, compared).

    PYTHONPATH=build/python /usr/bin/python3 bench/python_module_bench.py build/bin [--threads N]
"""
import argparse
import os
import subprocess
import sys
import time
import timeit

import numpy as np

import mlderiv
from mlderiv import abc, attn, quanta, rope


def best(f, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def per_call_us(stmt, number):
    return min(timeit.repeat(stmt, number=number, repeat=5)) / number * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bin", help="the directory of the tools (build/bin)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds per large call (default 5)")
    a = ap.parse_args()
    tool = lambda name, *args: [os.path.join(a.bin, name), *map(str, args), "--quiet"]
    run = lambda cmd: subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    print(f"mlderiv {mlderiv.__version__} from {os.path.dirname(mlderiv.__file__)}, {a.threads} threads")

    print("\ncall overhead (small calls), microseconds per call:")
    row = np.random.default_rng(1).standard_normal(64)
    process = best(lambda: run(tool("abc-min", "solve", 130)), 5) * 1e6
    for label, stmt, number in [
        ("rope.rope_sum(1e4, 100, 128)", lambda: rope.rope_sum(1e4, 100, 128), 20000),
        ("abc.min_sum(130)", lambda: abc.min_sum(130), 5000),
        ("attn.softmax_stats(64 scores, 1.0)", lambda: attn.softmax_stats(row, 1.0, threads=1), 5000),
    ]:
        print(f"  {label:38s} {per_call_us(stmt, number):9.2f} us")
    print(f"  {'abc-min solve 130 (the whole process)':38s} {process:9.0f} us")

    print(f"\nlarge calls, seconds (best of {a.rounds} interleaved rounds): module vs tool (target: within 5%)")
    th = a.threads
    cases = [
        ("rope.certify(16k)", lambda: rope.certify(16384, threads=th),
         tool("attn-sweep", "rope-base", "--L", "16k", "--certify-max", 16384, "--threads", th)),
        ("attn.batch_stats() (stats defaults)", lambda: attn.batch_stats(threads=th),
         tool("attn-sweep", "stats", "--threads", th)),
        ("quanta.fit(Chinchilla, bootstrap=100)", None,
         tool("quanta-scaling", "fit", "--bootstrap", 100, "--no-comparison", "--threads", th)),
    ]
    import csv
    with open(os.path.join(a.bin, "..", "share", "mlderiv", "chinchilla_fig4.csv")) as f:
        rows = list(csv.DictReader(f))
    N = np.array([float(r["Model Size"]) for r in rows])
    C = np.array([float(r["Training FLOP"]) for r in rows])
    L = np.array([float(r["loss"]) for r in rows])
    cases[2] = (cases[2][0], lambda: quanta.fit(N, C / (6 * N), L, bootstrap=100, no_comparison=True, threads=th),
                cases[2][2])
    for label, call, cmd in cases:
        # Interleaved rounds: the two sides see the same load on a shared machine.
        ours, theirs = [], []
        for _ in range(a.rounds):
            ours.append(best(call, 1))
            theirs.append(best(lambda: run(cmd), 1))
        m, t = min(ours), min(theirs)
        median = float(np.median(np.array(ours) / np.array(theirs)))
        verdict = "within 5%" if m <= 1.05 * t else "SLOWER than 5%"
        print(f"  {label:38s} module {m:7.3f}  tool {t:7.3f}  best/best {m / t:5.3f} ({verdict}), median of "
              f"round ratios {median:5.3f}")

    print("\nattn.softmax_stats against NumPy (entropy of 256 rows of 4096 scores at 6 scales):")
    b = attn.batch_stats(threads=th)
    scores = b["queries"] @ b["keys"].T
    alphas = b["alphas"]

    def numpy_entropy():
        out = np.empty((scores.shape[0], len(alphas)))
        for k, al in enumerate(alphas):
            x = al * scores
            x -= x.max(axis=1, keepdims=True)
            p = np.exp(x)
            p /= p.sum(axis=1, keepdims=True)
            out[:, k] = -(p * np.log(p)).sum(axis=1)
        return out

    ours = best(lambda: attn.softmax_stats(scores, alphas, threads=th), 5)
    peer = best(numpy_entropy, 5)
    err = np.abs(attn.softmax_stats(scores, alphas)["entropy"] - numpy_entropy()).max()
    print(f"  module {ours:.4f} s  NumPy {peer:.4f} s  ratio {peer / ours:.1f}x  max |entropy difference| {err:.1e}")


if __name__ == "__main__":
    sys.exit(main())
