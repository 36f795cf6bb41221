"""quanta: the Chinchilla approach-3 fit on the 240 runs Epoch AI kept, and its iso-FLOP curves.

    python3 examples/quanta_isoflop.py OUTDIR [chinchilla_fig4.csv]   (writes OUTDIR/quanta_isoflop.png)
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from mlderiv import quanta

out = sys.argv[1] if len(sys.argv) > 1 else "."
data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "data", "chinchilla_fig4.csv")
with open(data) as f:
    rows = list(csv.DictReader(f))
N = np.array([float(r["Model Size"]) for r in rows])
C = np.array([float(r["Training FLOP"]) for r in rows])
loss = np.array([float(r["loss"]) for r in rows])
fit = quanta.fit(N, C / (6 * N), loss, bootstrap=0, no_comparison=True)
e = {k: v["estimate"] for k, v in fit["estimates"].items()}

fig, ax = plt.subplots(figsize=(7, 4.5))
grid = np.logspace(7, 10.5, 200)
for i, budget in enumerate([6e18, 6e19, 6e20, 3e21]):
    law = e["E"] + e["A"] / grid ** e["alpha"] + e["B"] / (budget / (6 * grid)) ** e["beta"]
    ax.plot(grid, law, color=f"C{i}", label=f"C = {budget:.0e} FLOP")
    near = np.abs(np.log(C / budget)) < 0.2
    ax.plot(N[near], loss[near], "o", color=f"C{i}", ms=3)
ax.set(xscale="log", xlabel="parameters N", ylabel="loss",
       title=f"L = E + A/N^a + B/D^b: alpha = {e['alpha']:.3f}, beta = {e['beta']:.3f}, E = {e['E']:.2f}")
ax.legend()
fig.savefig(f"{out}/quanta_isoflop.png", dpi=120)
