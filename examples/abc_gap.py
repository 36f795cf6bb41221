"""abc: how far the minimum S(N) of a + b + c (N = a b + c) sits above 2 sqrt(N), for N = 1 .. 3000.

    python3 examples/abc_gap.py OUTDIR      (writes OUTDIR/abc_gap.png)
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from mlderiv import abc

out = sys.argv[1] if len(sys.argv) > 1 else "."
n = np.arange(1, 3001)
s = np.array([r["S"] for r in abc.min_sum(n.tolist())])
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(n, s - 2 * np.sqrt(n), ",", color="C0")
ax.plot(n, 2 + np.sqrt(1 + 4 * np.sqrt(n)), color="C3", label="the derivation's window 2 + sqrt(1 + 4 sqrt N)")
ax.set(xlabel="N", ylabel="S(N) - 2 sqrt(N)", title="abc-min: min a + b + c with N = ab + c")
ax.legend()
fig.savefig(f"{out}/abc_gap.png", dpi=120)
