#!/usr/bin/env python3
"""`make bench` for score-w2, in one run:

1. the Gaussian sweep: `score-w2 gaussian` over 100 values of eta at d = 64 (Sigma eigenvalues 0.1 .. 4,
   q_T = p_T), once for a diagonal score error (scale) and once for the dense, non-commuting one
   (time_linear); wall time of the whole process on 2 threads;
2. the particle experiment of `score-w2 mixture` (1-D two-component mixture, scale error eta = 0.1,
   M = 10^5 particles through both probability-flow ODEs): particle-steps per second on 1 and 2 threads;
3. the same particle experiment written with NumPy/SciPy as a reader would (solve_ivp RK45, one
   vectorised right-hand side over the whole cloud, the same tolerances rtol 1e-7 / atol 1e-9), run in this
   process; its W2 is checked against ours within Monte Carlo error (different random particles), and the
   ratios of CPU and wall times are printed.

score-w2 is timed as a whole process (start-up, sampling, the bound's integrals, sorting and CSV writing
included); the peer is timed from sampling to W2 (interpreter start-up and imports excluded), so the
ratio is conservative. Each particle timing is the best of --repeats runs (the machine may be shared).
The two integrate differently at the same tolerances: score-w2 sorts the pairs by starting point and runs
each block of 64 neighbours under its own adaptive Dormand-Prince 5(4), error per step in the max norm
over the block; SciPy runs one step sequence for the whole cloud, error in the RMS norm over all of it.
"""
import argparse
import csv
import io
import math
import resource
import subprocess
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

BETA_MIN, BETA_MAX, T = 0.1, 20.0, 1.0
WEIGHTS, MEANS, VARIANCES = np.array([0.3, 0.7]), np.array([-1.5, 1.0]), np.array([0.04, 0.25])


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_tool(exe, args, repeats=1):
    """Best wall time and best CPU time (user + system) of `repeats` runs, and the CSV rows."""
    best_wall, best_cpu = math.inf, math.inf
    for _ in range(repeats):
        cpu, start = children_cpu(), time.perf_counter()
        done = subprocess.run([exe, *args, "--quiet"], capture_output=True, text=True, check=True)
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, children_cpu() - cpu)
    return best_wall, best_cpu, list(csv.DictReader(io.StringIO(done.stdout)))


def beta_integral(t):
    return BETA_MIN * t + 0.5 * (BETA_MAX - BETA_MIN) * t * t


def peer_mixture(particles, eta, seed):
    """Scale error eta: the model's score is (1 + eta) times the true one."""
    rng = np.random.default_rng(seed)
    start, cpu = time.perf_counter(), time.process_time()
    comp = rng.choice(len(WEIGHTS), size=particles, p=WEIGHTS)
    x0 = MEANS[comp] + np.sqrt(VARIANCES[comp]) * rng.standard_normal(particles)
    m_end = math.exp(-0.5 * beta_integral(T))
    x_end = m_end * x0 + math.sqrt(-math.expm1(-beta_integral(T))) * rng.standard_normal(particles)

    def score(x, t):
        b = beta_integral(t)
        m, s2 = math.exp(-0.5 * b), -math.expm1(-b)
        v = m * m * VARIANCES + s2
        u = x[None, :] - m * MEANS[:, None]
        e = -0.5 * u * u / v[:, None]
        g = (WEIGHTS / np.sqrt(v))[:, None] * np.exp(e - e.max(axis=0))
        return -(g * u / v[:, None]).sum(axis=0) / g.sum(axis=0)

    def rhs(t, state):
        half_beta = 0.5 * (BETA_MIN + (BETA_MAX - BETA_MIN) * t)
        x, y = state[:particles], state[particles:]
        return np.concatenate([-half_beta * (x + score(x, t)), -half_beta * (y + (1 + eta) * score(y, t))])

    sol = solve_ivp(rhs, (T, 0.0), np.concatenate([x_end, x_end]), method="RK45", rtol=1e-7, atol=1e-9)
    if not sol.success:
        raise RuntimeError(sol.message)
    p0, q0 = sol.y[:particles, -1], sol.y[particles:, -1]
    d2 = (p0 - q0) ** 2
    w2 = math.sqrt(d2.mean())
    se = d2.std(ddof=1) / math.sqrt(particles) / (2 * w2)
    w2_sorted = math.sqrt(((np.sort(p0) - np.sort(q0)) ** 2).mean())
    return time.perf_counter() - start, time.process_time() - cpu, w2, se, w2_sorted, len(sol.t) - 1, sol.nfev


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exe", help="path to score-w2")
    parser.add_argument("--particles", type=int, default=100000)
    parser.add_argument("--repeats", type=int, default=3, help="particle timings: best of this many runs")
    args = parser.parse_args()

    etas = ",".join(f"{e:.6g}" for e in np.logspace(-3, 0, 100))
    print("score-w2 bench: Gaussian sweep, 100 values of eta in [1e-3, 1], d = 64, Sigma eigenvalues 0.1 .. 4")
    for error in ("scale", "time_linear"):
        seconds, _, rows = run_tool(args.exe, ["gaussian", "--dims", "64", "--variances", "0.1:4", "--errors", error,
                                            "--etas", etas, "--priors", "exact", "--threads", "2"])
        chain = all(r["chain_holds"] == "true" for r in rows)
        print(f"  {error:12s} {len(rows)} rows in {seconds:6.2f} s on 2 threads ({seconds / len(rows) * 1e3:.1f} ms"
              f" per eta); chain W2 <= W~2 <= bound on every row: {chain}")

    print(f"\nparticles: 1-D mixture, scale error eta = 0.1, M = {args.particles}, rtol 1e-7 / atol 1e-9")
    ours = {}
    for threads in (1, 2):
        seconds, cpu, rows = run_tool(args.exe, ["mixture", "--errors", "scale", "--etas", "0.1", "--particles",
                                                 str(args.particles), "--threads", str(threads)], args.repeats)
        steps = int(rows[0]["particle_steps"])
        ours[threads] = (seconds, cpu, float(rows[0]["W2_coupling"]), float(rows[0]["W2_coupling_se"]))
        print(f"  score-w2, {threads} thread(s): wall {seconds:6.2f} s (CPU {cpu:6.2f} s), {steps} particle-steps "
              f"({steps / args.particles:.1f} steps per pair), {steps / seconds / 1e6:.2f} M particle-steps/s wall "
              f"({steps / cpu / 1e6:.2f} per CPU second); W2 = {ours[threads][2]:.5f} +- {ours[threads][3]:.5f}")
    runs = [peer_mixture(args.particles, 0.1, seed=12345) for _ in range(args.repeats)]
    peer_seconds, peer_cpu = min(r[0] for r in runs), min(r[1] for r in runs)
    _, _, w2, se, w2_sorted, peer_steps, peer_evals = runs[0]
    print(f"  NumPy/SciPy solve_ivp RK45: wall {peer_seconds:6.2f} s (CPU {peer_cpu:6.2f} s), {peer_steps} steps, "
          f"{peer_evals} evaluations of the field ({peer_steps * args.particles / peer_cpu / 1e6:.2f} M particle-steps "
          f"per CPU second); W2 = {w2:.5f} +- {se:.5f} (sorted {w2_sorted:.5f})")
    z = abs(w2 - ours[1][2]) / math.hypot(se, ours[1][3])
    agree = z <= 4
    print(f"  W2 agreement: |difference| = {z:.2f} combined standard errors -> {'agrees' if agree else 'DIFFERS'}")
    print(f"  ratio NumPy/SciPy / score-w2, 1 thread: {peer_cpu / ours[1][1]:.1f}x in CPU time, "
          f"{peer_seconds / ours[1][0]:.1f}x in wall time")
    print(f"  ratio NumPy/SciPy / score-w2, 2 threads: {peer_seconds / ours[2][0]:.1f}x in wall time")
    print("  (same tolerances; score-w2 controls every particle's error per step, in blocks of 64 sorted pairs with"
          " their own step sizes, SciPy the RMS error over the whole cloud with one step size)")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
